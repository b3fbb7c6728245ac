#include "users/password_hasher.hpp"

#include <argon2.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <climits>
#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <tuple>
#include <vector>

namespace resumate::users {
namespace {

// Bounds on what a stored hash may ask of us. Encoded hashes come from the database, which an
// attacker with a foothold (or a bad import) could fill; without caps a single
// "m=4294967295" or "pbkdf2_sha256$4000000000$..." would pin a CPU or exhaust memory per login.
constexpr uint32_t kMaxMemoryKib = 1024 * 1024;  // 1 GiB
constexpr uint32_t kMaxTimeCost = 10;
constexpr uint32_t kMaxParallelism = 16;
// Django 6.0 writes 1,200,000; ten times that still verifies in seconds, not minutes.
constexpr uint32_t kMaxPbkdf2Iterations = 12'000'000;
constexpr std::size_t kMaxEncodedLength = 4096;
constexpr std::size_t kMinArgon2SaltBytes = ARGON2_MIN_SALT_LENGTH;  // 8
constexpr std::size_t kMinArgon2HashBytes = ARGON2_MIN_OUTLEN;       // 4
constexpr std::size_t kMaxArgon2FieldBytes = 1024;
// Below these a hash still verifies but is replaced on the next successful login.
constexpr std::size_t kRehashBelowBytes = 16;

constexpr std::size_t kNewHashBytes = 32;
// Django's salt(): ceil(128 / log2(62)) = 22 characters. Django's must_update() asks for a new
// hash when len(salt) * log2(62) < 128, counting one character per salt byte, so 16 random bytes
// would look "too short" to Django and be rehashed on every login there.
constexpr std::size_t kSaltChars = 22;
constexpr std::size_t kUnusableSuffixChars = 40;
constexpr std::string_view kArgon2Prefix = "argon2$";
constexpr std::string_view kAlphanumerics =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

// Uniform choice from [A-Za-z0-9] (Django's get_random_string alphabet): bytes of 248 and above
// are discarded so that every character is equally likely (248 = 4 * 62).
std::string random_alphanumeric(std::size_t length) {
    std::string out;
    out.reserve(length);
    std::array<unsigned char, 64> buffer{};
    while (out.size() < length) {
        if (RAND_bytes(buffer.data(), static_cast<int>(buffer.size())) != 1) {
            throw std::runtime_error("password hashing: the system random generator failed");
        }
        for (unsigned char b : buffer) {
            if (b >= 248) continue;
            out.push_back(kAlphanumerics[b % kAlphanumerics.size()]);
            if (out.size() == length) break;
        }
    }
    return out;
}

constexpr std::string_view kBase64Alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string base64_encode(const unsigned char* data, std::size_t size, bool pad) {
    std::string out;
    out.reserve((size + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 3 <= size; i += 3) {
        const uint32_t v = (uint32_t{data[i]} << 16) | (uint32_t{data[i + 1]} << 8) | data[i + 2];
        for (int shift = 18; shift >= 0; shift -= 6)
            out.push_back(kBase64Alphabet[(v >> shift) & 63]);
    }
    const std::size_t rest = size - i;
    if (rest > 0) {
        uint32_t v = uint32_t{data[i]} << 16;
        if (rest == 2) v |= uint32_t{data[i + 1]} << 8;
        out.push_back(kBase64Alphabet[(v >> 18) & 63]);
        out.push_back(kBase64Alphabet[(v >> 12) & 63]);
        if (rest == 2) out.push_back(kBase64Alphabet[(v >> 6) & 63]);
        if (pad) out.append(rest == 1 ? "==" : "=");
    }
    return out;
}

// Unpadded standard base64 as libargon2 writes and reads it; non-canonical input (leftover
// non-zero bits, a length of 1 mod 4, padding) is rejected as libargon2 does.
std::optional<std::vector<unsigned char>> base64_decode_unpadded(std::string_view text) {
    if (text.size() % 4 == 1) return std::nullopt;
    std::vector<unsigned char> out;
    out.reserve(text.size() * 3 / 4);
    uint32_t acc = 0;
    int bits = 0;
    for (char c : text) {
        const std::size_t value = kBase64Alphabet.find(c);
        if (value == std::string_view::npos) return std::nullopt;
        acc = (acc << 6) | static_cast<uint32_t>(value);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<unsigned char>((acc >> bits) & 0xFF));
        }
    }
    if ((acc & ((1u << bits) - 1)) != 0) return std::nullopt;
    return out;
}

// Decimal digits only (no sign, no spaces), as libargon2 and Python's "%d" agree on.
std::optional<uint32_t> parse_u32(std::string_view text) {
    if (text.empty() || text.size() > 10) return std::nullopt;
    uint64_t value = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + static_cast<uint64_t>(c - '0');
    }
    if (value > UINT32_MAX) return std::nullopt;
    return static_cast<uint32_t>(value);
}

std::vector<std::string_view> split(std::string_view text, char sep) {
    std::vector<std::string_view> parts;
    for (std::size_t start = 0;;) {
        const std::size_t at = text.find(sep, start);
        parts.push_back(text.substr(start, at == text.npos ? text.npos : at - start));
        if (at == text.npos) return parts;
        start = at + 1;
    }
}

bool params_within_limits(uint32_t m, uint32_t t, uint32_t p) {
    return t >= 1 && t <= kMaxTimeCost && p >= 1 && p <= kMaxParallelism &&
           m >= ARGON2_SYNC_POINTS * 2 * p && m <= kMaxMemoryKib;
}

struct Argon2Hash {
    argon2_type type = Argon2_id;
    uint32_t version = ARGON2_VERSION_13;
    uint32_t m = 0;
    uint32_t t = 0;
    uint32_t p = 0;
    std::vector<unsigned char> salt;
    std::vector<unsigned char> hash;
};

// "argon2" + libargon2's encoding: $type[$v=N]$m=M,t=T,p=P$salt$hash. A missing v= is Argon2
// 1.0 (0x10), which old argon2-cffi releases wrote and Django still verifies.
std::optional<Argon2Hash> parse_argon2(std::string_view encoded) {
    if (!encoded.starts_with(kArgon2Prefix)) return std::nullopt;
    const auto fields = split(encoded.substr(kArgon2Prefix.size()), '$');
    if (fields.size() != 4 && fields.size() != 5) return std::nullopt;

    Argon2Hash out;
    if (fields[0] == "argon2id") {
        out.type = Argon2_id;
    } else if (fields[0] == "argon2i") {
        out.type = Argon2_i;
    } else if (fields[0] == "argon2d") {
        out.type = Argon2_d;
    } else {
        return std::nullopt;
    }
    std::size_t next = 1;
    if (fields.size() == 5) {
        if (!fields[1].starts_with("v=")) return std::nullopt;
        const auto version = parse_u32(fields[1].substr(2));
        if (!version || (*version != ARGON2_VERSION_10 && *version != ARGON2_VERSION_13))
            return std::nullopt;
        out.version = *version;
        next = 2;
    } else {
        out.version = ARGON2_VERSION_10;
    }

    const auto costs = split(fields[next], ',');
    if (costs.size() != 3 || !costs[0].starts_with("m=") || !costs[1].starts_with("t=") ||
        !costs[2].starts_with("p="))
        return std::nullopt;
    const auto m = parse_u32(costs[0].substr(2));
    const auto t = parse_u32(costs[1].substr(2));
    const auto p = parse_u32(costs[2].substr(2));
    if (!m || !t || !p || !params_within_limits(*m, *t, *p)) return std::nullopt;
    out.m = *m, out.t = *t, out.p = *p;

    auto salt = base64_decode_unpadded(fields[next + 1]);
    auto hash = base64_decode_unpadded(fields[next + 2]);
    if (!salt || !hash) return std::nullopt;
    if (salt->size() < kMinArgon2SaltBytes || salt->size() > kMaxArgon2FieldBytes)
        return std::nullopt;
    if (hash->size() < kMinArgon2HashBytes || hash->size() > kMaxArgon2FieldBytes)
        return std::nullopt;
    out.salt = std::move(*salt);
    out.hash = std::move(*hash);
    return out;
}

// Raw Argon2 output; false if libargon2 refuses (e.g. it cannot allocate the memory).
bool argon2_raw(std::string_view password, const Argon2Hash& params, const unsigned char* salt,
                std::size_t salt_size, unsigned char* out, std::size_t out_size) {
    return argon2_hash(params.t, params.m, params.p, password.data(), password.size(), salt,
                       salt_size, out, out_size, nullptr, 0, params.type,
                       params.version) == ARGON2_OK;
}

PasswordCheck verify_argon2(std::string_view password, const Argon2Hash& stored,
                            const Argon2Params& current) {
    std::vector<unsigned char> computed(stored.hash.size());
    if (!argon2_raw(password, stored, stored.salt.data(), stored.salt.size(), computed.data(),
                    computed.size()))
        return {};
    if (CRYPTO_memcmp(computed.data(), stored.hash.data(), computed.size()) != 0) return {};
    const bool weaker = stored.type != Argon2_id || stored.version != ARGON2_VERSION_13 ||
                        stored.m < current.memory_kib || stored.t < current.time_cost ||
                        stored.salt.size() < kRehashBelowBytes ||
                        stored.hash.size() < kRehashBelowBytes;
    return {.ok = true, .needs_rehash = weaker};
}

// Django's PBKDF2PasswordHasher.verify re-encodes with the stored salt and iteration count and
// compares the whole strings, so the iteration field must be exactly what "%d" prints and the
// hash exactly what base64 (padded) prints; we compare only the hash part, the rest being equal
// by construction.
std::optional<PasswordCheck> verify_pbkdf2(std::string_view password, std::string_view encoded) {
    const EVP_MD* digest = nullptr;
    std::string_view rest;
    if (encoded.starts_with("pbkdf2_sha256$")) {
        digest = EVP_sha256();
        rest = encoded.substr(std::string_view("pbkdf2_sha256$").size());
    } else if (encoded.starts_with("pbkdf2_sha1$")) {
        digest = EVP_sha1();
        rest = encoded.substr(std::string_view("pbkdf2_sha1$").size());
    } else {
        return std::nullopt;
    }
    const std::size_t first = rest.find('$');
    if (first == rest.npos) return std::nullopt;
    const std::size_t second = rest.find('$', first + 1);
    if (second == rest.npos) return std::nullopt;
    const std::string_view iteration_text = rest.substr(0, first);
    const std::string_view salt = rest.substr(first + 1, second - first - 1);
    const std::string_view stored_hash = rest.substr(second + 1);

    const auto iterations = parse_u32(iteration_text);
    if (!iterations || *iterations == 0 || iteration_text.front() == '0' ||
        *iterations > kMaxPbkdf2Iterations)
        return std::nullopt;
    if (salt.empty()) return std::nullopt;  // Django asserts a non-empty salt when encoding
    if (password.size() > static_cast<std::size_t>(INT_MAX)) return PasswordCheck{};

    const int key_size = EVP_MD_get_size(digest);
    std::vector<unsigned char> key(static_cast<std::size_t>(key_size));
    if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                          reinterpret_cast<const unsigned char*>(salt.data()),
                          static_cast<int>(salt.size()), static_cast<int>(*iterations), digest,
                          key_size, key.data()) != 1)
        return PasswordCheck{};
    const std::string expected = base64_encode(key.data(), key.size(), /*pad=*/true);
    // The length of a well-formed hash is public (it is fixed by the digest), so checking it
    // first leaks nothing; the content is compared in constant time.
    if (expected.size() != stored_hash.size() ||
        CRYPTO_memcmp(expected.data(), stored_hash.data(), expected.size()) != 0)
        return PasswordCheck{};
    // Django's default is Argon2 here; any PBKDF2 hash is upgraded on the next login.
    return PasswordCheck{.ok = true, .needs_rehash = true};
}

// nullopt when `encoded` is not a hash we understand (unusable, unknown algorithm, malformed or
// over the limits); the caller then does the dummy work so timing reveals nothing.
std::optional<PasswordCheck> verify_known(std::string_view password, std::string_view encoded,
                                          const Argon2Params& current) {
    if (encoded.size() > kMaxEncodedLength || !is_usable_password(encoded)) return std::nullopt;
    if (encoded.starts_with(kArgon2Prefix)) {
        const auto parsed = parse_argon2(encoded);
        if (!parsed) return std::nullopt;
        return verify_argon2(password, *parsed, current);
    }
    return verify_pbkdf2(password, encoded);
}

void validate_new_params(const Argon2Params& params) {
    if (!params_within_limits(params.memory_kib, params.time_cost, params.parallelism)) {
        throw std::invalid_argument(
            "Argon2 parameters out of range: need 1 <= t <= 10, 1 <= p <= 16 and "
            "8*p KiB <= m <= 1 GiB");
    }
}

// The dummy hash for each params set in use, made on first need. A map rather than one string
// because tests may check with more than one configuration. A process-wide memo of a value that,
// once made, never changes (any random password's hash does, and it protects nothing), guarded
// by its mutex; entries are only added.
const std::string& dummy_hash_for(const Argon2Params& params) {
    static std::mutex mutex;
    static std::map<std::tuple<uint32_t, uint32_t, uint32_t>, std::string> hashes;
    const std::lock_guard lock(mutex);
    const auto key = std::make_tuple(params.memory_kib, params.time_cost, params.parallelism);
    auto it = hashes.find(key);
    if (it == hashes.end()) {
        it = hashes.emplace(key, make_password(random_alphanumeric(kSaltChars), params)).first;
    }
    return it->second;  // std::map never moves its nodes, so the reference stays valid
}

}  // namespace

std::string make_password(std::string_view password, const Argon2Params& params) {
    validate_new_params(params);
    const std::string salt = random_alphanumeric(kSaltChars);
    const Argon2Hash settings{.type = Argon2_id,
                              .version = ARGON2_VERSION_13,
                              .m = params.memory_kib,
                              .t = params.time_cost,
                              .p = params.parallelism,
                              .salt = {},
                              .hash = {}};
    std::array<unsigned char, kNewHashBytes> hash{};
    if (!argon2_raw(password, settings, reinterpret_cast<const unsigned char*>(salt.data()),
                    salt.size(), hash.data(), hash.size())) {
        throw std::runtime_error("password hashing: Argon2 failed (out of memory?)");
    }
    std::string encoded = "argon2$argon2id$v=19$m=" + std::to_string(params.memory_kib) +
                          ",t=" + std::to_string(params.time_cost) +
                          ",p=" + std::to_string(params.parallelism) + "$";
    encoded += base64_encode(reinterpret_cast<const unsigned char*>(salt.data()), salt.size(),
                             /*pad=*/false);
    encoded += '$';
    encoded += base64_encode(hash.data(), hash.size(), /*pad=*/false);
    return encoded;
}

PasswordCheck check_password(std::string_view password, std::string_view encoded,
                             const Argon2Params& current) {
    try {
        if (const auto result = verify_known(password, encoded, current)) return *result;
    } catch (...) {
        // Allocation failures and the like: a login must fail closed, never crash.
        return {};
    }
    run_dummy_check(password, current);
    return {};
}

void run_dummy_check(std::string_view password, const Argon2Params& current) {
    try {
        const std::string& dummy = dummy_hash_for(current);
        static_cast<void>(verify_known(password, dummy, current));
    } catch (...) {
        // Invalid params or no memory: there is nothing to imitate, and the caller fails the
        // login anyway.
    }
}

std::chrono::nanoseconds slowest_check_time(const Argon2Params& current) {
    // A process-wide memo: the measurement is made once per params set (it costs a few hash
    // verifications) and never changes after; guarded by its mutex, entries only added.
    static std::mutex mutex;
    static std::map<std::tuple<uint32_t, uint32_t, uint32_t>, std::chrono::nanoseconds> measured;
    const std::lock_guard lock(mutex);
    const auto key = std::make_tuple(current.memory_kib, current.time_cost, current.parallelism);
    if (auto it = measured.find(key); it != measured.end()) return it->second;
    // A well-formed hash no password matches: the full iteration count runs.
    const std::string pbkdf2 = "pbkdf2_sha256$" + std::to_string(kLegacyPbkdf2Iterations) + "$" +
                               random_alphanumeric(kSaltChars) + "$" + std::string(43, 'A') + "=";
    const std::string password = random_alphanumeric(kSaltChars);
    run_dummy_check(password, current);  // makes the dummy hash outside the measurement
    auto fastest = [&](auto&& check) {
        auto best = std::chrono::nanoseconds::max();
        for (int i = 0; i < 2; ++i) {
            const auto start = std::chrono::steady_clock::now();
            check();
            best = std::min(best, std::chrono::duration_cast<std::chrono::nanoseconds>(
                                      std::chrono::steady_clock::now() - start));
        }
        return best;
    };
    const auto argon2 = fastest([&] { run_dummy_check(password, current); });
    const auto legacy =
        fastest([&] { static_cast<void>(check_password(password, pbkdf2, current)); });
    return measured.emplace(key, std::max(argon2, legacy)).first->second;
}

std::string make_unusable_password() {
    return "!" + random_alphanumeric(kUnusableSuffixChars);
}

bool is_usable_password(std::string_view encoded) {
    return !encoded.starts_with('!');
}

}  // namespace resumate::users
