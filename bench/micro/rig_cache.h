// One cached benchmark set-up (a multi holding N handles, maybe N connections), kept across the
// repeated calls Google Benchmark makes of one benchmark function (it calls it again for each
// trial iteration count) and replaced when another benchmark or size needs a different one.
// Building 100,000 handles, or 10,000 connections, once per size rather than once per call
// keeps the run short; only one rig lives at a time, so file descriptors are not held twice.
#pragma once

#include <memory>
#include <string>

namespace fetch_bench {

class Rig {
 public:
  virtual ~Rig() = default;
  // Empty when the set-up worked; otherwise why not (for SkipWithError).
  std::string error;
};

// The one slot shared by every benchmark (an inline function: one static for the program).
// Destroyed at exit, so a leak check sees everything freed.
inline std::unique_ptr<Rig> &rig_slot() {
  static std::unique_ptr<Rig> slot;
  return slot;
}
inline std::string &rig_key() {
  static std::string key;
  return key;
}

// The rig for `key`, built by `build()` (returning std::unique_ptr<T>) if the cached one has
// another key. The previous rig is destroyed before the new one is built.
template <class T, class Build>
T &cached_rig(const std::string &key, Build build) {
  if (!rig_slot() || rig_key() != key) {
    rig_slot().reset();
    rig_key().clear();
    rig_slot() = build();
    rig_key() = key;
  }
  return static_cast<T &>(*rig_slot());
}

}  // namespace fetch_bench
