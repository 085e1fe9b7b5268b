// Test helpers for write_request_head (protocols/http1/request_writer.h): a fetch_slist of
// header lines built on the stack, and the head written for a RequestHead.
#pragma once

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <vector>

#include "protocols/http1/request_writer.h"

namespace fetch::http1::testing {

// One fetch_slist node per line, owned here (the writer never frees the list it is given).
class Slist {
 public:
  Slist(std::initializer_list<const char *> lines) : texts_(lines.begin(), lines.end()) {
    nodes_.resize(texts_.size());
    for (size_t i = 0; i < nodes_.size(); ++i) {
      nodes_[i].data = texts_[i].data();
      nodes_[i].next = i + 1 < nodes_.size() ? &nodes_[i + 1] : nullptr;
    }
  }
  const fetch_slist *get() const { return nodes_.empty() ? nullptr : &nodes_[0]; }

 private:
  std::vector<std::string> texts_;
  std::vector<fetch_slist> nodes_;
};

// The head write_request_head writes for `r`, expecting FETCHE_OK (a failure names the reason).
inline std::string write(const RequestHead &r) {
  std::string out;
  WriteResult w = write_request_head(r, out);
  EXPECT_EQ(w.code, FETCHE_OK) << (w.reason ? w.reason : "");
  return out;
}

}  // namespace fetch::http1::testing
