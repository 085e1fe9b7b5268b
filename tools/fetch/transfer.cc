#include "transfer.h"

#include <sys/stat.h>

#include <cstring>

namespace fetchcli {

Transfer::Transfer(std::size_t i, std::string u, std::string output_path)
    : index(i), url(std::move(u)), output(std::move(output_path)) {}

Transfer::~Transfer() {
  if (easy != nullptr) fetch_easy_cleanup(easy);
  fetch_slist_free_all(headers);
  fetch_slist_free_all(resolve);
  fetch_slist_free_all(connect_to);
  if (upload != nullptr && upload != stdin) std::fclose(upload);
}

namespace {

fetch_slist *make_list(const std::vector<std::string> &items) {
  fetch_slist *list = nullptr;
  for (const std::string &item : items) {
    fetch_slist *grown = fetch_slist_append(list, item.c_str());
    if (grown == nullptr) break;
    list = grown;
  }
  return list;
}

long to_ms(double seconds) {
  const double ms = seconds * 1000.0;
  if (ms >= 2147483647.0) return 2147483647L;
  // A positive value below 1 ms still means "a limit", not "no limit".
  return ms > 0 && ms < 1 ? 1L : static_cast<long>(ms);
}

std::size_t read_upload(char *buffer, std::size_t size, std::size_t nitems, void *file) {
  const std::size_t n = std::fread(buffer, 1, size * nitems, static_cast<std::FILE *>(file));
  return n == 0 && std::ferror(static_cast<std::FILE *>(file)) ? FETCH_READFUNC_ABORT : n;
}

// Opens the -T file; a URL ending in '/' gets the file's name appended, as curl does.
bool open_upload(const Config &c, Transfer &t) {
  if (c.upload_file == "-") {
    t.upload = stdin;
    return true;
  }
  t.upload = std::fopen(c.upload_file.c_str(), "rb");
  if (t.upload == nullptr) return false;
  if (!t.url.empty() && t.url.back() == '/') {
    t.url += c.upload_file.substr(c.upload_file.rfind('/') + 1);
  }
  return true;
}

// Applies the options in order, stopping at the first one the library refuses.
class Setter {
 public:
  explicit Setter(FETCH *easy) : easy_(easy) {}
  template <typename T>
  Setter &set(FETCHoption option, T value) {
    if (code_ == FETCHE_OK) code_ = fetch_easy_setopt(easy_, option, value);
    return *this;
  }
  FETCHcode code() const { return code_; }

 private:
  FETCH *easy_;
  FETCHcode code_ = FETCHE_OK;
};

void apply_request(const Config &c, Transfer &t, Setter &s) {
  if (c.has_post) {
    s.set(FETCHOPT_POSTFIELDSIZE_LARGE, static_cast<fetch_off_t>(c.post_data.size()));
    s.set(FETCHOPT_POSTFIELDS, c.post_data.data());
  }
  if (c.upload) {
    s.set(FETCHOPT_UPLOAD, 1L);
    s.set(FETCHOPT_READFUNCTION, &read_upload);
    s.set(FETCHOPT_READDATA, static_cast<void *>(t.upload));
    struct stat st;
    if (t.upload != stdin && ::fstat(fileno(t.upload), &st) == 0 && S_ISREG(st.st_mode)) {
      s.set(FETCHOPT_INFILESIZE_LARGE, static_cast<fetch_off_t>(st.st_size));
    }
  }
  if (c.head) s.set(FETCHOPT_NOBODY, 1L);
  if (!c.method.empty()) s.set(FETCHOPT_CUSTOMREQUEST, c.method.c_str());
  if (!c.headers.empty()) {
    t.headers = make_list(c.headers);
    s.set(FETCHOPT_HTTPHEADER, t.headers);
  }
  if (c.user_agent_set) {
    s.set(FETCHOPT_USERAGENT, c.user_agent.empty() ? nullptr : c.user_agent.c_str());
  } else {
    s.set(FETCHOPT_USERAGENT, "fetch/" LIBFETCH_RELEASE);
  }
  if (!c.referer.empty()) {
    const std::string::size_type pos = c.referer.find(";auto");
    if (pos != std::string::npos) s.set(FETCHOPT_AUTOREFERER, 1L);
    const std::string ref = c.referer.substr(0, pos);
    if (!ref.empty()) s.set(FETCHOPT_REFERER, ref.c_str());
  }
  if (!c.range.empty()) s.set(FETCHOPT_RANGE, c.range.c_str());
  if (c.resume) {
    // -C - resumes from the size of the output file; either way the file is appended to.
    t.resume_file_size = t.output.existing_size();
    t.resume_offset = c.resume_auto ? t.resume_file_size : c.resume_from;
    s.set(FETCHOPT_RESUME_FROM_LARGE, static_cast<fetch_off_t>(t.resume_offset));
    t.output.set_append(true);
  }
  if (c.compressed) s.set(FETCHOPT_ACCEPT_ENCODING, "");
}

void apply_connection(const Config &c, Transfer &t, Setter &s) {
  if (c.follow) s.set(FETCHOPT_FOLLOWLOCATION, 1L);
  if (c.max_redirs != -2) {
    s.set(FETCHOPT_MAXREDIRS, c.max_redirs);
  } else if (c.follow) {
    s.set(FETCHOPT_MAXREDIRS, 50L);  // the curl tool's default
  }
  if (c.max_time > 0) s.set(FETCHOPT_TIMEOUT_MS, to_ms(c.max_time));
  if (c.connect_timeout > 0) s.set(FETCHOPT_CONNECTTIMEOUT_MS, to_ms(c.connect_timeout));
  if (!c.resolve.empty()) {
    t.resolve = make_list(c.resolve);
    s.set(FETCHOPT_RESOLVE, t.resolve);
  }
  if (!c.connect_to.empty()) {
    t.connect_to = make_list(c.connect_to);
    s.set(FETCHOPT_CONNECT_TO, t.connect_to);
  }
}

}  // namespace

FETCHcode configure(const Config &c, Transfer &t) {
  t.easy = fetch_easy_init();
  if (t.easy == nullptr) return FETCHE_OUT_OF_MEMORY;
  if (c.upload && !open_upload(c, t)) {
    std::snprintf(t.errbuf, sizeof(t.errbuf), "Failed to open/read local data from file: %s",
                  c.upload_file.c_str());
    return FETCHE_READ_ERROR;
  }
  Setter s(t.easy);
  s.set(FETCHOPT_ERRORBUFFER, t.errbuf);
  s.set(FETCHOPT_URL, t.url.c_str());
  s.set(FETCHOPT_DEFAULT_PROTOCOL, "http");
  s.set(FETCHOPT_PRIVATE, static_cast<void *>(&t));
  s.set(FETCHOPT_WRITEFUNCTION, &Output::write_callback);
  s.set(FETCHOPT_WRITEDATA, static_cast<void *>(&t.output));
  s.set(FETCHOPT_NOSIGNAL, 1L);
  if (c.include || c.head) s.set(FETCHOPT_HEADER, 1L);
  if (c.verbose) s.set(FETCHOPT_VERBOSE, 1L);
  if (c.fail) s.set(FETCHOPT_FAILONERROR, 1L);
  apply_request(c, t, s);
  apply_connection(c, t, s);
  return s.code();
}

void resume_again(const Config &c, Transfer &t) {
  if (!c.resume) return;
  // Whatever the failed attempt appended is kept: ask for what follows it.
  const long long now = t.output.existing_size();
  t.resume_offset += now - t.resume_file_size;
  t.resume_file_size = now;
  fetch_easy_setopt(t.easy, FETCHOPT_RESUME_FROM_LARGE, static_cast<fetch_off_t>(t.resume_offset));
}

bool rewind_upload(Transfer &t) {
  if (t.upload == nullptr) return true;
  return t.upload != stdin && std::fseek(t.upload, 0, SEEK_SET) == 0;
}

std::string error_message(const Transfer &t) {
  if (t.errbuf[0] != '\0') return t.errbuf;
  return fetch_easy_strerror(t.result);
}

bool output_path_for(const Config &c, std::size_t index, std::string &path, std::string &error) {
  path.clear();
  bool remote = c.remote_name_all;
  if (index < c.outputs.size()) {
    remote = c.outputs[index].remote_name;
    path = c.outputs[index].path;
  }
  if (!remote) return true;
  path = remote_file_name(c.urls[index]);
  if (!path.empty()) return true;
  error = "Remote file name has no length";
  return false;
}

}  // namespace fetchcli
