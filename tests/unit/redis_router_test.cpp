// The Redis Cluster routing facts that need no server: hash slots (with hash tags), CLUSTER
// SLOTS and MOVED/ASK parsing, and how REDIS_CLUSTER_NODES is configured. The routing itself,
// failover included, is tested against a real 3+3 cluster (tests/redis/redis_cluster_test.py).
#include <gtest/gtest.h>

#include "app/config.hpp"
#include "cache/redis_cache.hpp"
#include "cache/redis_router.hpp"

using namespace resumate::cache;
using resumate::app::Config;

namespace {

RedisValue make(RedisValue::Type type, std::string s = {}, int64_t i = 0,
                std::vector<RedisValue> e = {}) {
    RedisValue v;
    v.type = type;
    v.str = std::move(s);
    v.integer = i;
    v.elements = std::move(e);
    return v;
}
RedisValue integer(int64_t v) {
    return make(RedisValue::Type::integer, {}, v);
}
RedisValue string(std::string s) {
    return make(RedisValue::Type::string, std::move(s));
}
RedisValue error(std::string s) {
    return make(RedisValue::Type::error, std::move(s));
}
RedisValue array(std::vector<RedisValue> e) {
    return make(RedisValue::Type::array, {}, 0, std::move(e));
}

}  // namespace

TEST(RedisRouter, KeySlotIsCrc16XmodemModulo16384) {
    // The specification's check value: CRC16/XMODEM("123456789") = 0x31C3.
    EXPECT_EQ(key_slot("123456789"), 0x31C3 & 16383);
    // Values Redis itself gives (CLUSTER KEYSLOT).
    EXPECT_EQ(key_slot("foo"), 12182);
    EXPECT_EQ(key_slot("bar"), 5061);
    EXPECT_EQ(key_slot(""), 0);
}

TEST(RedisRouter, AHashTagDecidesTheSlot) {
    EXPECT_EQ(key_slot("{user1000}.following"), key_slot("user1000"));
    EXPECT_EQ(key_slot("{user1000}.followers"), key_slot("{user1000}.following"));
    // The throttle's two counters of one window share a slot.
    EXPECT_EQ(key_slot("resumate:throttle:{anon:ip10.0.0.1}:29941709"),
              key_slot("resumate:throttle:{anon:ip10.0.0.1}:29941708"));
    // Only the first {…}; an empty {} is no tag (the whole key is hashed).
    EXPECT_EQ(key_slot("foo{}{bar}"), key_slot("foo{}{bar}"));
    EXPECT_NE(key_slot("foo{}{bar}"), key_slot("bar"));
    EXPECT_EQ(key_slot("foo{{bar}}zap"), key_slot("{bar"));
    EXPECT_EQ(key_slot("foo{bar}{zap}"), key_slot("bar"));
}

TEST(RedisRouter, ParsesRedirects) {
    RedisValue moved = error("MOVED 3999 127.0.0.1:6381");
    auto r = parse_redirect(moved);
    ASSERT_TRUE(r);
    EXPECT_FALSE(r->ask);
    EXPECT_EQ(r->slot, 3999);
    EXPECT_EQ(r->to, (RedisEndpoint{"127.0.0.1", 6381}));

    RedisValue ask = error("ASK 12182 ::1:7002");
    r = parse_redirect(ask);
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->ask);
    EXPECT_EQ(r->slot, 12182);
    EXPECT_EQ(r->to, (RedisEndpoint{"::1", 7002}));

    for (const char* bad : {"MOVED", "MOVED 3999", "MOVED x 1.2.3.4:1", "MOVED 16384 1.2.3.4:1",
                            "MOVED 1 1.2.3.4:0", "MOVEDX 1 1.2.3.4:5", "ERR MOVED 1 a:1"}) {
        EXPECT_FALSE(parse_redirect(error(bad))) << bad;
    }
    // Not an error reply: never a redirect.
    EXPECT_FALSE(parse_redirect(string("MOVED 1 127.0.0.1:6379")));
}

TEST(RedisRouter, ParsesClusterSlots) {
    const RedisEndpoint asked{"10.0.0.9", 7000};
    auto reply = array({
        array({integer(0), integer(5460), array({string("127.0.0.1"), integer(7001), string("a")}),
               array({string("127.0.0.1"), integer(7004), string("d")})}),
        array({integer(5461), integer(10922), array({string(""), integer(7002), string("b")})}),
        array({integer(10923), integer(16383),
               array({string("127.0.0.1"), integer(7003), string("c"), array({})})}),
    });
    auto ranges = parse_cluster_slots(reply, asked);
    ASSERT_TRUE(ranges);
    ASSERT_EQ(ranges->size(), 3u);
    EXPECT_EQ((*ranges)[0].first, 0);
    EXPECT_EQ((*ranges)[0].last, 5460);
    EXPECT_EQ((*ranges)[0].master, (RedisEndpoint{"127.0.0.1", 7001}));
    // An empty host: the node that was asked.
    EXPECT_EQ((*ranges)[1].master, (RedisEndpoint{"10.0.0.9", 7002}));
    EXPECT_EQ((*ranges)[2].last, 16383);

    EXPECT_FALSE(parse_cluster_slots(string("no"), asked));
    EXPECT_FALSE(parse_cluster_slots(
        array({array({integer(5), integer(2), array({string("h"), integer(1)})})}), asked));
    EXPECT_FALSE(parse_cluster_slots(
        array({array({integer(0), integer(16384), array({string("h"), integer(1)})})}), asked));
    EXPECT_FALSE(parse_cluster_slots(
        array({array({integer(0), integer(1), array({string("h"), integer(70000)})})}), asked));
}

TEST(RedisRouter, ParsesEndpointsAndClusterNodes) {
    EXPECT_EQ(parse_endpoint("redis-1:6379"), (RedisEndpoint{"redis-1", 6379}));
    EXPECT_EQ(parse_endpoint(" [::1]:7000 "), (RedisEndpoint{"::1", 7000}));
    EXPECT_FALSE(parse_endpoint("redis-1"));
    EXPECT_FALSE(parse_endpoint(":6379"));
    EXPECT_FALSE(parse_endpoint("h:0"));

    auto nodes = parse_cluster_nodes("127.0.0.1:7001, 127.0.0.1:7002,");
    ASSERT_EQ(nodes.size(), 2u);
    EXPECT_EQ(nodes[1], (RedisEndpoint{"127.0.0.1", 7002}));
    EXPECT_THROW(parse_cluster_nodes(""), std::invalid_argument);
    EXPECT_THROW(parse_cluster_nodes("127.0.0.1"), std::invalid_argument);
}

TEST(RedisRouter, ClusterNodesReplaceTheSingleNode) {
    Config c = Config::from_variables({{"REDIS_URL", "redis://:s3cret@cache:6380/2"},
                                       {"REDIS_CLUSTER_NODES", "r1:7001,r2:7002"},
                                       {"RESUMATE_REDIS_TIMEOUT_MS", "400"},
                                       {"RESUMATE_NEAR_CACHE_TTL_MS", "0"}});
    ASSERT_TRUE(c.redis);
    ASSERT_EQ(c.redis->cluster_nodes.size(), 2u);
    EXPECT_EQ(c.redis->cluster_nodes[0], (RedisEndpoint{"r1", 7001}));
    EXPECT_EQ(c.redis->password, "s3cret");  // REDIS_URL's password, for every node
    EXPECT_EQ(c.redis->database, 0);         // a cluster has only database 0
    EXPECT_EQ(c.redis->timeout, std::chrono::milliseconds(400));
    EXPECT_EQ(c.redis->near_ttl, std::chrono::milliseconds(0));

    Config single = Config::from_variables({{"REDIS_URL", "redis://cache:6380/2"}});
    ASSERT_TRUE(single.redis);
    EXPECT_TRUE(single.redis->cluster_nodes.empty());
    EXPECT_EQ(single.redis->near_ttl, std::chrono::milliseconds(2000));
    EXPECT_EQ(single.redis->timeout, std::chrono::milliseconds(250));

    EXPECT_THROW(Config::from_variables({{"REDIS_CLUSTER_NODES", "r1"}}),
                 resumate::app::ConfigError);
    EXPECT_THROW(Config::from_variables(
                     {{"REDIS_URL", "redis://cache"}, {"RESUMATE_REDIS_TIMEOUT_MS", "0"}}),
                 resumate::app::ConfigError);
}
