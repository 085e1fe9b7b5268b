// The setters of the implemented easy options, one per option: set_<option name in lower case>.
// Each validates its argument as libcurl does and stores it into EasyHandle::settings; the option
// table (option_table_data.inc) points at them. Grouped by file: set_connection.cc (what and
// where to connect), set_socket.cc (local socket details), set_callbacks.cc (socket and resolver
// callbacks), set_diagnostics.cc (verbose, debug, error buffer, private), set_http.cc (HTTP
// method, body, headers, version and response handling), set_upload.cc (request bodies from the
// read callback), set_redirect.cc (following redirects).
#pragma once

#include "options/option_table.h"

namespace fetch::options {

// set_connection.cc
FETCHcode set_url(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_connect_only(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_port(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_connecttimeout(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_connecttimeout_ms(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_timeout(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_timeout_ms(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_resolve(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_connect_to(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_ipresolve(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_dns_cache_timeout(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_protocols_str(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_default_protocol(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_fresh_connect(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_forbid_reuse(EasyHandle &easy, const OptionArg &arg);

// set_socket.cc
FETCHcode set_localport(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_localportrange(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_interface(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_tcp_nodelay(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_tcp_keepalive(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_tcp_keepidle(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_tcp_keepintvl(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_nosignal(EasyHandle &easy, const OptionArg &arg);

// set_callbacks.cc
FETCHcode set_opensocketfunction(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_opensocketdata(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_closesocketfunction(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_closesocketdata(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_sockoptfunction(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_sockoptdata(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_resolver_start_function(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_resolver_start_data(EasyHandle &easy, const OptionArg &arg);

// set_diagnostics.cc
FETCHcode set_verbose(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_debugfunction(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_debugdata(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_stderr(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_errorbuffer(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_private(EasyHandle &easy, const OptionArg &arg);

// set_http.cc
FETCHcode set_writefunction(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_writedata(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_headerfunction(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_headerdata(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_header(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_nobody(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_post(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_httpget(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_postfields(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_copypostfields(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_postfieldsize(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_postfieldsize_large(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_customrequest(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_useragent(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_referer(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_httpheader(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_http_version(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_failonerror(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_accept_encoding(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_http_content_decoding(EasyHandle &easy, const OptionArg &arg);

// set_upload.cc
FETCHcode set_upload(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_readfunction(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_readdata(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_infilesize(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_infilesize_large(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_expect_100_timeout_ms(EasyHandle &easy, const OptionArg &arg);

// set_redirect.cc
FETCHcode set_followlocation(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_maxredirs(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_postredir(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_redir_protocols_str(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_autoreferer(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_unrestricted_auth(EasyHandle &easy, const OptionArg &arg);

// set_speed.cc
FETCHcode set_max_recv_speed_large(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_max_send_speed_large(EasyHandle &easy, const OptionArg &arg);

// set_buffer.cc
FETCHcode set_buffersize(EasyHandle &easy, const OptionArg &arg);

// set_limits.cc
FETCHcode set_maxfilesize(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_maxfilesize_large(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_maxage_conn(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_maxconnects(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_maxlifetime_conn(EasyHandle &easy, const OptionArg &arg);

// set_request.cc
FETCHcode set_range(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_resume_from(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_resume_from_large(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_timecondition(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_timevalue(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_timevalue_large(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_filetime(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_request_target(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_path_as_is(EasyHandle &easy, const OptionArg &arg);

// set_progress.cc
FETCHcode set_noprogress(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_xferinfofunction(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_progressfunction(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_xferinfodata(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_low_speed_limit(EasyHandle &easy, const OptionArg &arg);
FETCHcode set_low_speed_time(EasyHandle &easy, const OptionArg &arg);

}  // namespace fetch::options
