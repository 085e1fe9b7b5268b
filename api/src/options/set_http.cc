// Setters for HTTP transfers: where the response goes (write and header callbacks), which
// method is sent (NOBODY, POST, HTTPGET, CUSTOMREQUEST), the request body (POSTFIELDS and
// friends), request headers and version, and how the response is treated.
//
// The method follows libcurl's model of one request kind: NOBODY 1 turns the request into a HEAD
// (forgetting a POST), NOBODY 0 makes it a GET again; POST 1 and the POSTFIELDS options make it a
// POST, POST 0 a GET; HTTPGET 1 makes it a GET whatever it was, HTTPGET 0 changes nothing. A
// CUSTOMREQUEST only replaces the method's name on the request line.
#include <cstring>

#include "options/setters.h"
#include "options/value_checks.h"

namespace fetch::options {
namespace {

fetch_write_callback as_write_callback(const OptionArg &arg) {
  return reinterpret_cast<fetch_write_callback>(arg.function);
}

// Forgets a FETCHOPT_COPYPOSTFIELDS copy and releases its memory.
void drop_copied_postfields(Settings &s) {
  std::string().swap(s.copied_postfields);
  s.postfields_copied = false;
}

FETCHcode store_postfieldsize(EasyHandle &easy, const char *option, int64_t size) {
  if (size < -1) {
    return fail(easy, FETCHE_BAD_FUNCTION_ARGUMENT, "FETCHOPT_%s: %lld is below -1", option,
                static_cast<long long>(size));
  }
  Settings &s = easy.settings;
  // A size past the end of a COPYPOSTFIELDS copy would read beyond it: the copy no longer
  // describes the body, so it is dropped (libcurl drops it too when the size grows).
  if (s.postfields_copied && size > static_cast<int64_t>(s.copied_postfields.size())) {
    drop_copied_postfields(s);
    s.postfields = nullptr;
  }
  s.postfieldsize = size;
  return FETCHE_OK;
}

}  // namespace

FETCHcode set_writefunction(EasyHandle &easy, const OptionArg &arg) {
  easy.settings.write_function = as_write_callback(arg);  // nullptr: fwrite to WRITEDATA
  return FETCHE_OK;
}

FETCHcode set_writedata(EasyHandle &easy, const OptionArg &arg) {
  easy.settings.write_data = arg.pointer;  // a FILE * without a write function; nullptr: stdout
  return FETCHE_OK;
}

FETCHcode set_headerfunction(EasyHandle &easy, const OptionArg &arg) {
  easy.settings.header_function = as_write_callback(arg);
  return FETCHE_OK;
}

FETCHcode set_headerdata(EasyHandle &easy, const OptionArg &arg) {
  easy.settings.header_data = arg.pointer;
  return FETCHE_OK;
}

FETCHcode set_header(EasyHandle &easy, const OptionArg &arg) {
  easy.settings.include_header = arg.number != 0;
  return FETCHE_OK;
}

FETCHcode set_nobody(EasyHandle &easy, const OptionArg &arg) {
  Settings &s = easy.settings;
  s.nobody = arg.number != 0;
  if (s.nobody) s.post = s.upload = false;  // a HEAD now; clearing NOBODY later gives a GET
  return FETCHE_OK;
}

FETCHcode set_post(EasyHandle &easy, const OptionArg &arg) {
  Settings &s = easy.settings;
  s.post = arg.number != 0;
  s.upload = false;              // POST 0 gives a GET, as libcurl
  if (s.post) s.nobody = false;  // a POST has a body
  return FETCHE_OK;
}

FETCHcode set_httpget(EasyHandle &easy, const OptionArg &arg) {
  if (arg.number != 0) {
    easy.settings.post = false;
    easy.settings.nobody = false;
    easy.settings.upload = false;
  }
  return FETCHE_OK;
}

FETCHcode set_postfields(EasyHandle &easy, const OptionArg &arg) {
  Settings &s = easy.settings;
  drop_copied_postfields(s);
  s.postfields = static_cast<const char *>(arg.pointer);  // the application's memory
  s.post = true;
  s.upload = false;
  return FETCHE_OK;
}

FETCHcode set_copypostfields(EasyHandle &easy, const OptionArg &arg) {
  Settings &s = easy.settings;
  const auto *data = static_cast<const char *>(arg.pointer);
  if (data == nullptr) {
    drop_copied_postfields(s);
    s.postfields = nullptr;
    s.post = true;  // still a POST, now without data (as libcurl)
    s.upload = false;
    return FETCHE_OK;
  }
  std::string copy;
  if (s.postfieldsize < 0) {
    // No size set: a C string, under the limit every copied string has.
    const size_t length = strnlen(data, kMaxStringLength + 1);
    if (length > kMaxStringLength) {
      return fail(easy, FETCHE_BAD_FUNCTION_ARGUMENT,
                  "FETCHOPT_COPYPOSTFIELDS: string longer than %zu bytes", kMaxStringLength);
    }
    copy.assign(data, length);
  } else {
    // The size set before tells how many bytes to copy (binary data allowed). A size that
    // cannot be allocated throws, which fetch_easy_setopt reports as FETCHE_OUT_OF_MEMORY.
    copy.assign(data, static_cast<size_t>(s.postfieldsize));
  }
  s.copied_postfields.swap(copy);
  s.postfields = s.copied_postfields.c_str();
  s.postfields_copied = true;
  s.post = true;
  s.upload = false;
  return FETCHE_OK;
}

FETCHcode set_postfieldsize(EasyHandle &easy, const OptionArg &arg) {
  return store_postfieldsize(easy, "POSTFIELDSIZE", arg.number);
}

FETCHcode set_postfieldsize_large(EasyHandle &easy, const OptionArg &arg) {
  return store_postfieldsize(easy, "POSTFIELDSIZE_LARGE", arg.offset);
}

FETCHcode set_customrequest(EasyHandle &easy, const OptionArg &arg) {
  return store_header_string(easy, "CUSTOMREQUEST", arg, easy.settings.customrequest);
}

FETCHcode set_useragent(EasyHandle &easy, const OptionArg &arg) {
  return store_header_string(easy, "USERAGENT", arg, easy.settings.useragent);
}

FETCHcode set_referer(EasyHandle &easy, const OptionArg &arg) {
  return store_header_string(easy, "REFERER", arg, easy.settings.referer);
}

FETCHcode set_httpheader(EasyHandle &easy, const OptionArg &arg) {
  // Not copied (libcurl keeps the application's list); its lines are checked when the request
  // is written.
  easy.settings.httpheader = static_cast<const fetch_slist *>(arg.pointer);
  return FETCHE_OK;
}

FETCHcode set_http_version(EasyHandle &easy, const OptionArg &arg) {
  const long version = arg.number;
  if (version < FETCH_HTTP_VERSION_NONE) {
    return fail(easy, FETCHE_BAD_FUNCTION_ARGUMENT, "FETCHOPT_HTTP_VERSION: %ld is negative",
                version);
  }
  if (version > FETCH_HTTP_VERSION_1_1) {
    // HTTP/2 and HTTP/3 are not built: libcurl's answer is FETCHE_UNSUPPORTED_PROTOCOL, for
    // any value above 1.1.
    return fail(easy, FETCHE_UNSUPPORTED_PROTOCOL,
                "FETCHOPT_HTTP_VERSION: %ld asks for an HTTP version not built in", version);
  }
  easy.settings.http_version = version;
  return FETCHE_OK;
}

FETCHcode set_failonerror(EasyHandle &easy, const OptionArg &arg) {
  easy.settings.failonerror = arg.number != 0;
  return FETCHE_OK;
}

FETCHcode set_accept_encoding(EasyHandle &easy, const OptionArg &arg) {
  Settings &s = easy.settings;
  if (arg.pointer == nullptr) {  // no Accept-Encoding and no decoding
    s.accept_encoding_set = false;
    s.accept_encoding.clear();
    return FETCHE_OK;
  }
  const FETCHcode code = store_header_string(easy, "ACCEPT_ENCODING", arg, s.accept_encoding);
  if (code == FETCHE_OK) s.accept_encoding_set = true;  // "" = every coding libfetch decodes
  return code;
}

FETCHcode set_http_content_decoding(EasyHandle &easy, const OptionArg &arg) {
  easy.settings.http_content_decoding = arg.number != 0;
  return FETCHE_OK;
}

}  // namespace fetch::options
