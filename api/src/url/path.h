// Path normalisation (RFC 3986 section 5.2.4) and merging (section 5.2.3).
#ifndef FETCH_API_SRC_URL_PATH_H
#define FETCH_API_SRC_URL_PATH_H

#include <string>
#include <string_view>

namespace fetch::url {

// Removes "." and ".." segments: "/a/./b/../c" -> "/a/c".
std::string remove_dot_segments(std::string_view path);

// Joins a relative path to the directory of 'base_path': ("/a/b", "c") -> "/a/c".
std::string merge_paths(std::string_view base_path, std::string_view relative);

}  // namespace fetch::url

#endif  // FETCH_API_SRC_URL_PATH_H
