#include "util/digest.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <vector>

namespace resumate::util::digest {
namespace {

const EVP_MD* sha256_md() {
    static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    if (md == nullptr) throw std::runtime_error("SHA-256 unavailable");
    return md;
}

// HMAC-SHA256 (RFC 2104) from two SHA-256 states that have already absorbed the padded key.
// OpenSSL's one-shot HMAC() looks SHA-256 and the HMAC algorithm up by name in its provider
// registry on every call (locks, string compares): about 26,000 instructions per token, more
// than checking the rest of the request. A thread keeps the pads of the last few keys it saw
// (the server signs and checks with one secret), so a call costs two state copies and the
// hashing itself. Results equal HMAC()'s (jwt_test checks RFC 4231's vectors).
class HmacSha256 {
  public:
    explicit HmacSha256(std::string_view key) : key_(key) {
        const EVP_MD* sha256 = sha256_md();
        std::array<unsigned char, kBlock> block{};
        if (key.size() > kBlock) {
            unsigned int n = 0;
            if (EVP_Digest(key.data(), key.size(), block.data(), &n, sha256, nullptr) != 1) {
                throw std::runtime_error("SHA-256 failed");
            }
        } else {
            std::copy(key.begin(), key.end(), block.begin());
        }
        std::array<unsigned char, kBlock> pad{};
        for (std::size_t i = 0; i < kBlock; ++i) pad[i] = block[i] ^ 0x36;
        absorb(inner_.get(), sha256, pad);
        for (std::size_t i = 0; i < kBlock; ++i) pad[i] = block[i] ^ 0x5c;
        absorb(outer_.get(), sha256, pad);
        OPENSSL_cleanse(block.data(), block.size());
        OPENSSL_cleanse(pad.data(), pad.size());
    }

    const std::string& key() const { return key_; }

    Sha256 sign(std::string_view data) {
        Sha256 inner{};
        Sha256 mac{};
        unsigned int n = 0;
        if (EVP_MD_CTX_copy_ex(work_.get(), inner_.get()) != 1 ||
            EVP_DigestUpdate(work_.get(), data.data(), data.size()) != 1 ||
            EVP_DigestFinal_ex(work_.get(), inner.data(), &n) != 1 || n != inner.size() ||
            EVP_MD_CTX_copy_ex(work_.get(), outer_.get()) != 1 ||
            EVP_DigestUpdate(work_.get(), inner.data(), inner.size()) != 1 ||
            EVP_DigestFinal_ex(work_.get(), mac.data(), &n) != 1 || n != mac.size()) {
            throw std::runtime_error("HMAC-SHA256 failed");
        }
        return mac;
    }

  private:
    static constexpr std::size_t kBlock = 64;  // SHA-256's block size
    struct Free {
        void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
    };
    using Ctx = std::unique_ptr<EVP_MD_CTX, Free>;
    static Ctx make() {
        Ctx c(EVP_MD_CTX_new());
        if (!c) throw std::bad_alloc();
        return c;
    }
    static void absorb(EVP_MD_CTX* ctx, const EVP_MD* md,
                       const std::array<unsigned char, kBlock>& pad) {
        if (EVP_DigestInit_ex(ctx, md, nullptr) != 1 ||
            EVP_DigestUpdate(ctx, pad.data(), pad.size()) != 1) {
            throw std::runtime_error("SHA-256 failed");
        }
    }

    std::string key_;
    Ctx inner_ = make();
    Ctx outer_ = make();
    Ctx work_ = make();
};

}  // namespace

Sha256 sha256(std::string_view data) {
    Sha256 out{};
    unsigned int n = 0;
    if (EVP_Digest(data.data(), data.size(), out.data(), &n, sha256_md(), nullptr) != 1 ||
        n != out.size()) {
        throw std::runtime_error("SHA-256 failed");
    }
    return out;
}

Sha256 hmac_sha256(std::string_view key, std::string_view data) {
    // Most recently used first; a handful of keys at most (the secret, tests' own secrets).
    thread_local std::vector<std::unique_ptr<HmacSha256>> keyed;
    auto it =
        std::find_if(keyed.begin(), keyed.end(), [&](const auto& h) { return h->key() == key; });
    if (it == keyed.end()) {
        if (keyed.size() == 4) keyed.pop_back();
        keyed.insert(keyed.begin(), std::make_unique<HmacSha256>(key));
    } else if (it != keyed.begin()) {
        std::rotate(keyed.begin(), it, it + 1);
    }
    return keyed.front()->sign(data);
}

std::string hex(const Sha256& digest, std::size_t bytes) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    bytes = std::min(bytes, digest.size());
    out.reserve(bytes * 2);
    for (std::size_t i = 0; i < bytes; ++i) {
        out.push_back(kHex[digest[i] >> 4]);
        out.push_back(kHex[digest[i] & 15]);
    }
    return out;
}

}  // namespace resumate::util::digest
