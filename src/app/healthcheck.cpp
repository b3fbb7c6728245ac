#include "app/healthcheck.hpp"

#include <netdb.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace resumate::app {

bool server_healthy(const Config& config, std::chrono::milliseconds timeout, std::string& why) {
    // A server bound to every address is asked on loopback.
    std::string host = config.host;
    if (host.empty() || host == "0.0.0.0") host = "127.0.0.1";
    if (host == "::" || host == "[::]") host = "::1";
    if (host.size() > 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    const std::string port = std::to_string(config.port);

    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    if (int rc = getaddrinfo(host.c_str(), port.c_str(), &hints, &found); rc != 0) {
        why = "cannot resolve " + host + ": " + gai_strerror(rc);
        return false;
    }
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
    tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
    int fd = -1;
    for (addrinfo* a = found; a; a = a->ai_next) {
        fd = ::socket(a->ai_family, a->ai_socktype, a->ai_protocol);
        if (fd < 0) continue;
        ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
        if (::connect(fd, a->ai_addr, a->ai_addrlen) == 0) break;
        why = "cannot connect to " + host + ":" + port + ": " + std::strerror(errno);
        ::close(fd);
        fd = -1;
    }
    freeaddrinfo(found);
    if (fd < 0) return false;
    const std::string request = "GET /healthz HTTP/1.0\r\nHost: " + host + "\r\n\r\n";
    bool ok = ::send(fd, request.data(), request.size(), MSG_NOSIGNAL) ==
              static_cast<ssize_t>(request.size());
    std::string head;
    char buf[512];
    while (ok && head.find("\r\n") == std::string::npos) {
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) break;
        head.append(buf, static_cast<size_t>(n));
    }
    ::close(fd);
    const std::string line = head.substr(0, head.find("\r\n"));
    // "HTTP/1.1 200 OK"
    if (line.size() >= 12 && line.starts_with("HTTP/1.") && line.compare(9, 3, "200") == 0)
        return true;
    why = line.empty() ? "no answer from " + host + ":" + port : "answered: " + line;
    return false;
}

}  // namespace resumate::app
