// Where a Redis command goes: the one node of REDIS_URL, or, on a Redis Cluster
// (REDIS_CLUSTER_NODES), the master that holds the key's hash slot, following MOVED and ASK
// redirects and refreshing the slot map (CLUSTER SLOTS) when the cluster changes under us.
#pragma once
#include <array>
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "cache/redis_link.hpp"

namespace resumate::cache {

struct RedisOptions {
    std::string host = "127.0.0.1";
    uint16_t port = 6379;
    int database = 1;  // the original's django-redis LOCATION uses database 1
    std::string password;
    std::string prefix = "resumate:";
    std::chrono::milliseconds timeout{250};
    // Seed nodes of a Redis Cluster (REDIS_CLUSTER_NODES); empty: the one node above.
    std::vector<RedisEndpoint> cluster_nodes;
    // The in-process near cache of values read (0: off); entries are dropped at once when
    // another instance changes them (an invalidation message on Redis), and live this long at
    // most in any case.
    std::chrono::milliseconds near_ttl{2000};
    size_t near_max_entries = 4096;
};

// The cluster hash slot of a key (CRC16/XMODEM mod 16384), over the part between the first `{`
// and the next `}` when that part is not empty: keys with the same tag share a slot.
uint16_t key_slot(std::string_view key);

struct SlotRange {
    uint16_t first = 0, last = 0;
    RedisEndpoint master;
};
// CLUSTER SLOTS' answer, asked of `asked` (an empty host in it means that node's host).
std::optional<std::vector<SlotRange>> parse_cluster_slots(const RedisValue& reply,
                                                          const RedisEndpoint& asked);

struct Redirect {
    bool ask = false;  // ASK (this command only, after ASKING) rather than MOVED (for good)
    uint16_t slot = 0;
    RedisEndpoint to;
};
std::optional<Redirect> parse_redirect(const RedisValue& reply);

class RedisRouter : public std::enable_shared_from_this<RedisRouter> {
  public:
    RedisRouter(boost::asio::any_io_executor ex, RedisOptions options);
    ~RedisRouter();

    bool cluster() const { return !options_.cluster_nodes.empty(); }
    // Runs the commands, pipelined, on the node that holds `key` (every command must touch
    // only that key's slot). nullopt when that node cannot be reached in time.
    Task<RedisReplies> run(std::string_view key, std::vector<RedisCommand> commands);
    // Every master answers PING (and, in a cluster, every slot has a master).
    Task<bool> healthy();
    // Nodes a subscriber may use: the masters known, then the seeds.
    std::vector<RedisEndpoint> endpoints();
    RedisLinkOptions link_options() const;
    // Drops every connection (see RedisLink::close: on the loop, or once it has stopped).
    void close();
    void close_async();

  private:
    std::shared_ptr<RedisLink> link(const RedisEndpoint& endpoint);
    std::shared_ptr<RedisLink> link_for_slot(uint16_t slot);
    Task<bool> refresh();
    void refresh_soon();
    void learn(uint16_t slot, const RedisEndpoint& master);
    // The masters, when every slot has one.
    std::optional<std::vector<RedisEndpoint>> covering_masters();

    boost::asio::any_io_executor ex_;
    RedisOptions options_;
    std::shared_ptr<RedisLink> single_;  // without a cluster
    std::mutex mu_;
    std::unordered_map<std::string, std::shared_ptr<RedisLink>> links_;  // by "host:port"
    std::vector<RedisEndpoint> masters_;                                 // indexed by slots_
    std::array<int16_t, 16384> slots_;                                   // -1: unknown
    std::atomic<bool> refreshing_{false};
    std::atomic<int64_t> last_refresh_ms_{0};
    std::atomic<bool> closed_{false};
};

}  // namespace resumate::cache
