#!/usr/bin/env python3
"""Issue 4's scenario: many generations in flight against a slow provider.

  ai_inflight.py provider PORT DELAY   an OpenAI-compatible stand-in (POST .../chat/completions)
                                       that answers every request after DELAY seconds; it serves
                                       any number of requests at once (asyncio)
  ai_inflight.py run BASE READER GEN N fires N POST /api/ai/generate/ (model "Deepseek") at once
                                       as user GEN (a token) at the server at BASE and, meanwhile,
                                       measures GET /api/resumes/ of user READER with wrk; the
                                       same wrk run on the idle server first gives the reference
                                       p99 (two users, so that the list read does not grow)

Prints: statuses, the time until the last generation finished, and both p99s.
Python standard library only (and wrk).
"""
import asyncio
import json
import re
import subprocess
import sys
import time


def provider(port: int, delay: float) -> None:
    answer = json.dumps({
        "id": "bench", "object": "chat.completion",
        "choices": [{"index": 0, "finish_reason": "stop",
                     "message": {"role": "assistant", "content": "# Bench Resume\n\n## Skills\n- C++\n"}}],
    }).encode()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            await reader.readexactly(length)
            await asyncio.sleep(delay)
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n"
                         b"Connection: close\r\n\r\n%s" % (len(answer), answer))
            await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    async def main() -> None:
        server = await asyncio.start_server(handle, "127.0.0.1", port, backlog=1024)
        async with server:
            await server.serve_forever()

    asyncio.run(main())


async def generate(host: str, port: int, token: str, started: float) -> tuple[int, float]:
    body = json.dumps({"model": "Deepseek", "title": "Bench",
                       "user_input": "Software engineer with 5 years of C++ and PostgreSQL at Initech. " * 2}).encode()
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(b"POST /api/ai/generate/ HTTP/1.1\r\nHost: %s:%d\r\nContent-Type: application/json\r\n"
                 b"Authorization: Bearer %s\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s"
                 % (host.encode(), port, token.encode(), len(body), body))
    await writer.drain()
    response = await reader.read()
    writer.close()
    status = int(response.split(b" ", 2)[1]) if response.startswith(b"HTTP/1.1 ") else 0
    return status, time.monotonic() - started


def wrk_p99(base: str, token: str, seconds: float) -> tuple[float, float]:
    out = subprocess.run(["wrk", "-t1", "-c8", f"-d{int(seconds)}s", "--latency", "-H", f"Authorization: Bearer {token}",
                          f"{base}/api/resumes/"], capture_output=True, text=True, check=True).stdout
    m = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\b", out, re.M)
    v, unit = float(m.group(1)), m.group(2)
    p99 = v / 1000 if unit == "us" else v * 1000 if unit == "s" else v
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    return p99, rps


async def fire(host: str, port: int, token: str, n: int) -> list[tuple[int, float]]:
    started = time.monotonic()
    return await asyncio.gather(*(generate(host, port, token, started) for _ in range(n)))


def run(base: str, reader: str, gen: str, n: int) -> int:
    host, port = re.match(r"http://([^:/]+):(\d+)", base).groups()
    idle_p99, idle_rps = wrk_p99(base, reader, 3)
    # wrk starts with the generations and lasts about as long as they should.
    wrk = subprocess.Popen([sys.executable, __file__, "wrk", base, reader, "3"], stdout=subprocess.PIPE, text=True)
    results = asyncio.run(fire(host, int(port), gen, n))
    busy = wrk.communicate()[0].split()
    busy_p99, busy_rps = float(busy[0]), float(busy[1])
    statuses: dict[int, int] = {}
    for status, _ in results:
        statuses[status] = statuses.get(status, 0) + 1
    last = max(t for _, t in results)
    first = min(t for _, t in results)
    ok = statuses.get(201, 0) == n and last < 4.0 and busy_p99 < 2 * idle_p99
    print(f"{n} generations against a 2 s provider: statuses {statuses}, first done after {first:.2f} s, "
          f"all done after {last:.2f} s (goal < 4 s)")
    print(f"GET /api/resumes/ p99: idle {idle_p99:.2f} ms ({idle_rps:,.0f} req/s), "
          f"with {n} generations in flight {busy_p99:.2f} ms ({busy_rps:,.0f} req/s); "
          f"ratio {busy_p99 / idle_p99:.2f} (goal < 2)")
    print("ai in-flight scenario:", "PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    if sys.argv[1] == "provider":
        provider(int(sys.argv[2]), float(sys.argv[3]))
    elif sys.argv[1] == "wrk":
        p99, rps = wrk_p99(sys.argv[2], sys.argv[3], float(sys.argv[4]))
        print(p99, rps)
    else:
        sys.exit(run(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])))
