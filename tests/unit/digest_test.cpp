#include "util/digest.hpp"
#include "users/api_key_store.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace digest_test {
namespace {

using namespace resumate;

TEST(Digest, Sha256MatchesFips180Vectors) {
    EXPECT_EQ(util::digest::hex(util::digest::sha256("abc")),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(util::digest::hex(util::digest::sha256("")),
              "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(util::digest::hex(util::digest::sha256("abc"), 4), "ba7816bf");
}

TEST(Digest, HmacSha256MatchesRfc4231) {
    // Test case 2: key "Jefe".
    EXPECT_EQ(util::digest::hex(util::digest::hmac_sha256("Jefe", "what do ya want for nothing?")),
              "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    // Test case 6: a key longer than the block, hashed first.
    EXPECT_EQ(
        util::digest::hex(util::digest::hmac_sha256(
            std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First")),
        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(ApiKeys, KeysAreRandomWithAPrefixAndOnlyTheirHashIsKept) {
    std::set<std::string> seen;
    for (int i = 0; i < 200; ++i) {
        users::NewApiKey k = users::generate_api_key();
        EXPECT_EQ(k.key.size(), 43u);
        EXPECT_EQ(k.key.substr(0, 3), "rm_");
        EXPECT_EQ(k.prefix, k.key.substr(0, 11));
        EXPECT_EQ(k.hash, util::digest::hex(util::digest::sha256(k.key)));
        EXPECT_EQ(users::api_key_hash(k.key), k.hash);
        EXPECT_TRUE(seen.insert(k.key).second);
    }
}

TEST(ApiKeys, TextThatCannotBeAKeyIsNeverLookedUp) {
    const std::string good = users::generate_api_key().key;
    EXPECT_TRUE(users::api_key_hash(good));
    for (const std::string& bad :
         {std::string(), std::string("rm_"), good.substr(0, 42), good + "a", "xx" + good.substr(2),
          good.substr(0, 20) + "-" + good.substr(21), good.substr(0, 20) + '\0' + good.substr(21),
          good.substr(0, 20) + "\xc3\xa9" + good.substr(22), std::string(10'000, 'a')}) {
        EXPECT_FALSE(users::api_key_hash(bad)) << bad;
    }
}

}  // namespace
}  // namespace digest_test
