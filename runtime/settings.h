// The options of one easy handle that the runtime reads, with libcurl's defaults.
//
// The API layer (api/src/options/) validates and stores values here through the option table;
// the runtime only reads them. A transfer copies nothing: it reads its easy handle's Settings
// for the duration of the transfer (libcurl documents that changing options of a running
// transfer is not allowed, so nothing changes under us).
#pragma once

#include <fetch/fetch.h>

#include <cstdint>
#include <string>
#include <vector>

namespace fetch {

// Timeouts are kept in milliseconds; 0 means "no limit" as in libcurl.
struct Settings {
  std::string url;                            // FETCHOPT_URL (copied)
  long connect_only = 0;                      // FETCHOPT_CONNECT_ONLY: 0, 1, or 2 (ws)
  long port = 0;                              // FETCHOPT_PORT: 0 = the URL's or the scheme's
  long connect_timeout_ms = 0;                // FETCHOPT_CONNECTTIMEOUT(_MS): 0 = default 300 s
  long timeout_ms = 0;                        // FETCHOPT_TIMEOUT(_MS): 0 = none
  std::vector<std::string> resolve;           // FETCHOPT_RESOLVE entries (copied from the slist)
  std::vector<std::string> connect_to;        // FETCHOPT_CONNECT_TO entries
  long ipresolve = FETCH_IPRESOLVE_WHATEVER;  // FETCHOPT_IPRESOLVE
  long dns_cache_timeout_s = 60;  // FETCHOPT_DNS_CACHE_TIMEOUT: -1 = forever, 0 = no cache
  long localport = 0;             // FETCHOPT_LOCALPORT
  long localportrange = 1;        // FETCHOPT_LOCALPORTRANGE
  std::string interface_name;     // FETCHOPT_INTERFACE ("if!", "host!" or plain)
  bool tcp_nodelay = true;        // FETCHOPT_TCP_NODELAY (libcurl default on)
  bool tcp_keepalive = false;     // FETCHOPT_TCP_KEEPALIVE
  long tcp_keepidle_s = 60;       // FETCHOPT_TCP_KEEPIDLE
  long tcp_keepintvl_s = 60;      // FETCHOPT_TCP_KEEPINTVL
  fetch_opensocket_callback opensocket = nullptr;
  void *opensocket_data = nullptr;
  fetch_closesocket_callback closesocket = nullptr;
  void *closesocket_data = nullptr;
  fetch_sockopt_callback sockopt = nullptr;
  void *sockopt_data = nullptr;
  fetch_resolver_start_callback resolver_start = nullptr;
  void *resolver_start_data = nullptr;
  bool verbose = false;  // FETCHOPT_VERBOSE
  fetch_debug_callback debug = nullptr;
  void *debug_data = nullptr;
  FILE *stderr_stream = nullptr;  // FETCHOPT_STDERR (nullptr = stderr)
  char *error_buffer = nullptr;   // FETCHOPT_ERRORBUFFER (FETCH_ERROR_SIZE bytes, app-owned)
  void *private_data = nullptr;   // FETCHOPT_PRIVATE
  bool nosignal = false;          // FETCHOPT_NOSIGNAL (libfetch never raises signals)
  std::string protocols_str;      // FETCHOPT_PROTOCOLS_STR (empty = all built)
  std::string default_protocol;   // FETCHOPT_DEFAULT_PROTOCOL (empty = guess)
  bool fresh_connect = false;     // FETCHOPT_FRESH_CONNECT
  bool forbid_reuse = false;      // FETCHOPT_FORBID_REUSE

  // ---- HTTP ----
  fetch_write_callback write_function = nullptr;   // FETCHOPT_WRITEFUNCTION (nullptr = fwrite)
  void *write_data = nullptr;                      // FETCHOPT_WRITEDATA (nullptr = stdout)
  fetch_write_callback header_function = nullptr;  // FETCHOPT_HEADERFUNCTION
  void *header_data = nullptr;                     // FETCHOPT_HEADERDATA
  bool include_header = false;                     // FETCHOPT_HEADER: headers to the write callback
  bool nobody = false;                             // FETCHOPT_NOBODY (HEAD)
  bool post = false;                               // FETCHOPT_POST / POSTFIELDS set
  const char *postfields = nullptr;                // FETCHOPT_POSTFIELDS (not copied)
  std::string copied_postfields;                   // FETCHOPT_COPYPOSTFIELDS storage
  bool postfields_copied = false;                  // postfields points into copied_postfields
  int64_t postfieldsize = -1;                      // FETCHOPT_POSTFIELDSIZE(_LARGE): -1 = strlen
  std::string customrequest;                       // FETCHOPT_CUSTOMREQUEST (empty = none)
  std::string useragent;                           // FETCHOPT_USERAGENT
  std::string referer;                             // FETCHOPT_REFERER
  const fetch_slist *httpheader = nullptr;         // FETCHOPT_HTTPHEADER (not copied, as libcurl)
  long http_version = FETCH_HTTP_VERSION_NONE;     // FETCHOPT_HTTP_VERSION (1.0 / 1.1 / none)
  bool failonerror = false;                        // FETCHOPT_FAILONERROR
  bool accept_encoding_set = false;                // FETCHOPT_ACCEPT_ENCODING given (even "")
  std::string accept_encoding;                     // its value; "" = every supported coding
  bool http_content_decoding = true;               // FETCHOPT_HTTP_CONTENT_DECODING

  // ---- uploads ----
  bool upload = false;                          // FETCHOPT_UPLOAD (HTTP: PUT)
  fetch_read_callback read_function = nullptr;  // FETCHOPT_READFUNCTION (nullptr = fread)
  void *read_data = nullptr;                    // FETCHOPT_READDATA / INFILE (nullptr = stdin)
  int64_t infilesize = -1;                      // FETCHOPT_INFILESIZE(_LARGE): -1 = unknown
  long expect_100_timeout_ms = 1000;            // FETCHOPT_EXPECT_100_TIMEOUT_MS

  // ---- redirects ----
  long follow_location = 0;  // FETCHOPT_FOLLOWLOCATION: 0, FETCHFOLLOW_ALL/OBEYCODE/FIRSTONLY
  long max_redirs = 30;      // FETCHOPT_MAXREDIRS: -1 = unlimited
  long postredir = 0;        // FETCHOPT_POSTREDIR: FETCH_REDIR_POST_* bits
  std::string redir_protocols_str = "http,https,ftp,ftps";  // normalized; "" = all
  bool autoreferer = false;                                 // FETCHOPT_AUTOREFERER
  bool unrestricted_auth = false;                           // FETCHOPT_UNRESTRICTED_AUTH

  // ---- speed limits (api/src/options/set_speed.cc, runtime/rate_limiter.h) ----
  int64_t max_recv_speed = 0;  // FETCHOPT_MAX_RECV_SPEED_LARGE: bytes per second, 0 = no limit
  int64_t max_send_speed = 0;  // FETCHOPT_MAX_SEND_SPEED_LARGE: bytes per second, 0 = no limit
  // FETCHOPT_BUFFERSIZE: the most body bytes one write callback call gets, and at least what
  // one recv() asks for (runtime/receive_buffer.h). libcurl's CURL_MAX_WRITE_SIZE by default.
  size_t buffer_size = 16 * 1024;

  // ---- limits (api/src/options/set_limits.cc; runtime/body_limit.h, runtime/conn_age.h) ----
  int64_t max_filesize = 0;     // FETCHOPT_MAXFILESIZE(_LARGE): bytes, 0 = no limit
  long maxage_conn_s = 118;     // FETCHOPT_MAXAGE_CONN: max idle seconds for reuse
  long maxconnects = 5;         // FETCHOPT_MAXCONNECTS: easy_perform's pool size (not in a multi)
  long maxlifetime_conn_s = 0;  // FETCHOPT_MAXLIFETIME_CONN: max seconds since connect, 0 = off

  // ---- request options (api/src/options/set_request.cc, runtime/http_request_options.h) ----
  std::string range;           // FETCHOPT_RANGE ("" = none): "X-Y[,N-M]"
  int64_t resume_from = 0;     // FETCHOPT_RESUME_FROM(_LARGE): 0 = off, -1 = "from the end"
  long timecondition = 0;      // FETCHOPT_TIMECONDITION: FETCH_TIMECOND_*
  int64_t timevalue = 0;       // FETCHOPT_TIMEVALUE(_LARGE): seconds since the epoch
  bool filetime = false;       // FETCHOPT_FILETIME: report Last-Modified in FETCHINFO_FILETIME
  std::string request_target;  // FETCHOPT_REQUEST_TARGET ("" = from the URL)
  bool path_as_is = false;     // FETCHOPT_PATH_AS_IS: keep "/../" and "/./" in the path

  // ---- progress (api/src/options/set_progress.cc, runtime/transfer_progress.h) ----
  bool noprogress = true;                               // FETCHOPT_NOPROGRESS (default on)
  fetch_xferinfo_callback xferinfo_function = nullptr;  // FETCHOPT_XFERINFOFUNCTION (wins)
  fetch_progress_callback progress_function = nullptr;  // FETCHOPT_PROGRESSFUNCTION (doubles)
  void *progress_data = nullptr;                        // FETCHOPT_XFERINFODATA / PROGRESSDATA
  long low_speed_limit = 0;   // FETCHOPT_LOW_SPEED_LIMIT: bytes per second, 0 = off
  long low_speed_time_s = 0;  // FETCHOPT_LOW_SPEED_TIME: seconds, 0 = off
};

}  // namespace fetch
