// The fetch_m*printf family (follows curl_mprintf(3)), built on the C library's vprintf family,
// so it accepts the C99 conversions.
//
// As the man page says, the functions return the number of characters actually printed
// (excluding the terminating NUL of a string), which differs from POSIX snprintf: when
// fetch_msnprintf truncates, it returns the length that fits, not the length it would have
// needed. A maxlength of 0 writes nothing and returns 0. fetch_maprintf / fetch_mvaprintf
// return a malloc'd string (free with fetch_free) or NULL on failure.
#include <fetch/mprintf.h>

#include <cstdarg>
#include <cstdio>
#include <cstdlib>

extern "C" {

int fetch_mvsnprintf(char *buffer, size_t maxlength, const char *format, va_list args) {
  if (buffer == nullptr || maxlength == 0) return 0;
  int needed = std::vsnprintf(buffer, maxlength, format, args);
  if (needed < 0) {
    buffer[0] = '\0';
    return -1;
  }
  size_t stored =
      static_cast<size_t>(needed) < maxlength ? static_cast<size_t>(needed) : maxlength - 1;
  return static_cast<int>(stored);
}

int fetch_msnprintf(char *buffer, size_t maxlength, const char *format, ...) {
  va_list args;
  va_start(args, format);
  int result = fetch_mvsnprintf(buffer, maxlength, format, args);
  va_end(args);
  return result;
}

int fetch_mvsprintf(char *buffer, const char *format, va_list args) {
  return std::vsprintf(buffer, format, args);
}

int fetch_msprintf(char *buffer, const char *format, ...) {
  va_list args;
  va_start(args, format);
  int result = std::vsprintf(buffer, format, args);
  va_end(args);
  return result;
}

int fetch_mvfprintf(FILE *fd, const char *format, va_list args) {
  return std::vfprintf(fd, format, args);
}

int fetch_mfprintf(FILE *fd, const char *format, ...) {
  va_list args;
  va_start(args, format);
  int result = std::vfprintf(fd, format, args);
  va_end(args);
  return result;
}

int fetch_mvprintf(const char *format, va_list args) { return std::vprintf(format, args); }

int fetch_mprintf(const char *format, ...) {
  va_list args;
  va_start(args, format);
  int result = std::vprintf(format, args);
  va_end(args);
  return result;
}

char *fetch_mvaprintf(const char *format, va_list args) {
  if (format == nullptr) return nullptr;
  va_list measure;
  va_copy(measure, args);
  int needed = std::vsnprintf(nullptr, 0, format, measure);
  va_end(measure);
  if (needed < 0) return nullptr;
  auto *out = static_cast<char *>(std::malloc(static_cast<size_t>(needed) + 1));
  if (out == nullptr) return nullptr;
  if (std::vsnprintf(out, static_cast<size_t>(needed) + 1, format, args) != needed) {
    std::free(out);
    return nullptr;
  }
  return out;
}

char *fetch_maprintf(const char *format, ...) {
  va_list args;
  va_start(args, format);
  char *result = fetch_mvaprintf(format, args);
  va_end(args);
  return result;
}

}  // extern "C"
