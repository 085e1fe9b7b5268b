// fetch: a curl-compatible command-line client built on libfetch's public API only.
//   fetch [options] URL...
// The exit code is the FETCHcode of the last failed transfer (0 when all succeeded), 2 for a
// command line that cannot be used.
#include <fetch/fetch.h>

#include <cstdio>

#include "args.h"
#include "config.h"
#include "runner.h"

namespace {

int print_version() {
  const fetch_version_info_data *info = fetch_version_info(FETCHVERSION_NOW);
  std::printf("fetch %s (libfetch %s, API level libcurl %s)\n", LIBFETCH_RELEASE, fetch_version(),
              info != nullptr ? info->version : "?");
  if (info != nullptr && info->protocols != nullptr) {
    std::printf("Protocols:");
    for (const char *const *p = info->protocols; *p != nullptr; ++p) std::printf(" %s", *p);
    std::printf("\n");
  }
  return 0;
}

}  // namespace

int main(int argc, char **argv) {
  fetchcli::Config config;
  const fetchcli::ParseResult parsed = fetchcli::parse_args(argc, argv, config);
  if (!parsed.ok) {
    std::fprintf(stderr, "fetch: %s\nfetch: try 'fetch --help' for more information\n",
                 parsed.error.c_str());
    return FETCHE_FAILED_INIT;
  }
  if (config.show_help) {
    std::fputs(fetchcli::usage_text(), stdout);
    return 0;
  }
  if (config.show_version) return print_version();

  if (!config.silent) {
    for (const std::string &warning : config.warnings) {
      std::fprintf(stderr, "Warning: %s\n", warning.c_str());
    }
  }
  const FETCHcode init = fetch_global_init(FETCH_GLOBAL_DEFAULT);
  if (init != FETCHE_OK) {
    std::fprintf(stderr, "fetch: (%d) %s\n", static_cast<int>(init), fetch_easy_strerror(init));
    return init;
  }
  int code = 0;
  {
    fetchcli::Runner runner(config);
    code = runner.run();
  }
  fetch_global_cleanup();
  return code;
}
