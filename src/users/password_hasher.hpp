// Django-compatible password hashing: new hashes are Django's Argon2PasswordHasher format, and
// hashes written by a Django deployment (argon2, pbkdf2_sha256, pbkdf2_sha1) still verify, so a
// database can move between the two implementations in either direction.
#pragma once
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace resumate::users {

// OWASP's minimum Argon2id configuration (19 MiB, 2 passes, 1 lane).
struct Argon2Params {
    uint32_t memory_kib = 19456;
    uint32_t time_cost = 2;
    uint32_t parallelism = 1;
};

// "argon2$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>": the salt is Django's 22-character
// [A-Za-z0-9] string (its bytes are the Argon2 salt), the hash 32 bytes; both fields unpadded
// standard base64. Throws std::invalid_argument for unusable params (zero, memory below 8 KiB per
// lane, or beyond the limits check_password enforces) and std::runtime_error if the system
// cannot provide randomness or memory.
std::string make_password(std::string_view password, const Argon2Params& params = {});

struct PasswordCheck {
    bool ok = false;
    // Only ever true together with ok: store make_password(password) in place of the old hash.
    bool needs_rehash = false;
};

// Verifies against argon2 (argon2id/argon2i/argon2d, v=19 or the older v=16/no-v form, any
// m/t/p within sane limits) and pbkdf2_sha256 / pbkdf2_sha1 hashes. Never throws. Unusable,
// unknown or malformed hashes give ok=false after doing the same work as run_dummy_check, so the
// response time does not reveal the state of the account.
// needs_rehash: every pbkdf2 hash; argon2 hashes that are not argon2id v=19, or whose memory or
// time cost is below `current`, or whose salt or hash is shorter than 16 bytes. Parallelism is
// not a strength parameter, and a stronger hash (e.g. Django's m=102400,p=8) is never downgraded.
PasswordCheck check_password(std::string_view password, std::string_view encoded,
                             const Argon2Params& current = {});

// Costs the same as checking a correct-format hash made with `current` (it verifies against one,
// made once per params set and cached); for logins naming an unknown user.
void run_dummy_check(std::string_view password, const Argon2Params& current = {});

// Django's default PBKDF2 iteration count of the 4.2 LTS series, whose databases we take over.
inline constexpr uint32_t kLegacyPbkdf2Iterations = 600'000;

// Wall time of the slowest verification a login is expected to meet: an Argon2 hash made with
// `current`, or a Django pbkdf2_sha256 hash at kLegacyPbkdf2Iterations (the lower of two runs of
// each). Measured on the first call for a params set (about 0.3 s of one core), then cached.
std::chrono::nanoseconds slowest_check_time(const Argon2Params& current = {});

// Django's set_unusable_password(): "!" followed by 40 random [A-Za-z0-9] characters.
std::string make_unusable_password();

// Django's is_password_usable(): false only for the "!" prefix (so "" counts as usable, as in
// Django, even though nothing verifies against it).
bool is_usable_password(std::string_view encoded);

}  // namespace resumate::users
