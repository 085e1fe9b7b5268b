// Spare nodes of one std::unordered_map, so that keys which come and go all the time (transfer
// ids, socket fds, origins) cost no allocation once the map has held as many at once: the steady
// state of a busy client allocates nothing per request (DESIGN "Performance habits").
//
// A removed entry's node is extracted and kept (key and value left in it, so a string key keeps
// its buffer); the next insertion overwrites key and value in a kept node and links it back.
// At most `max_spare` nodes are kept; the rest are freed as usual.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

namespace fetch {

template <class Map>
class NodeCache {
 public:
  using Node = typename Map::node_type;
  using Key = typename Map::key_type;
  using Value = typename Map::mapped_type;

  explicit NodeCache(size_t max_spare) : max_spare_(max_spare) {}

  // The value of `key` in `map`, value-initialized and linked from a spare node when the key is
  // new (as map[key], without allocating while spares are left).
  template <class K>
  Value &at(Map &map, K &&key) {
    if (auto it = map.find(key); it != map.end()) return it->second;
    if (spare_.empty()) return map[std::forward<K>(key)];
    Node node = std::move(spare_.back());
    spare_.pop_back();
    node.key() = std::forward<K>(key);
    node.mapped() = Value{};
    return map.insert(std::move(node)).position->second;
  }

  // Inserts key → value for a key not in `map` yet.
  template <class K, class V>
  void insert(Map &map, K &&key, V &&value) {
    at(map, std::forward<K>(key)) = std::forward<V>(value);
  }

  // Unlinks the entry at `it`, keeps its node, and hands back its value (moved out).
  Value take(Map &map, typename Map::iterator it) {
    Node node = map.extract(it);
    Value value = std::move(node.mapped());
    if (spare_.size() < max_spare_) spare_.push_back(std::move(node));
    return value;
  }

  size_t spare() const { return spare_.size(); }

 private:
  size_t max_spare_;
  std::vector<Node> spare_;
};

}  // namespace fetch
