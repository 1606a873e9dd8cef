#include "common/file_util.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>

namespace common {

FileError::FileError(const std::string& path, int error_code)
    : std::runtime_error(path + ": " + std::strerror(error_code)),
      error_code_(error_code) {}

void ReadFileInto(const std::string& path, std::string& out) {
  out.clear();
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw FileError(path, errno);
  // procfs and sysfs report st_size 0, so read in chunks to EOF.
  size_t chunk = 8192;
  for (;;) {
    size_t old = out.size();
    out.resize(old + chunk);
    ssize_t n = ::read(fd, out.data() + old, chunk);
    if (n < 0) {
      if (errno == EINTR) {
        out.resize(old);
        continue;
      }
      int err = errno;
      ::close(fd);
      out.clear();
      throw FileError(path, err);
    }
    out.resize(old + static_cast<size_t>(n));
    if (n == 0) break;
    if (chunk < (1u << 20)) chunk *= 2;
  }
  ::close(fd);
}

std::string ReadFile(const std::string& path) {
  std::string out;
  ReadFileInto(path, out);
  return out;
}

std::optional<std::string> ReadOptionalFile(const std::string& path) {
  try {
    return ReadFile(path);
  } catch (const FileError& e) {
    if (e.error_code() == ENOENT || e.error_code() == ENOTDIR)
      return std::nullopt;
    throw;
  }
}

std::string_view Trim(std::string_view s) {
  const char* ws = " \t\n\r";
  size_t b = s.find_first_not_of(ws);
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(ws);
  return s.substr(b, e - b + 1);
}

std::string ReadTrimmed(const std::string& path) {
  return std::string(Trim(ReadFile(path)));
}

void SplitFieldsInto(std::string_view s, std::vector<std::string_view>& out) {
  out.clear();
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    size_t b = i;
    while (i < s.size() && s[i] != ' ' && s[i] != '\t') ++i;
    if (i > b) out.push_back(s.substr(b, i - b));
  }
}

std::vector<std::string_view> SplitFields(std::string_view s) {
  std::vector<std::string_view> out;
  SplitFieldsInto(s, out);
  return out;
}

namespace {

[[noreturn]] void ThrowParse(std::string_view s, std::string_view what,
                             std::string_view kind) {
  std::string shown(s.substr(0, 64));
  throw ParseError(std::string(what) + ": expected " + std::string(kind) +
                   ", got \"" + shown + "\"");
}

}  // namespace

bool TryParseUint64(std::string_view s, uint64_t& out) {
  if (s.empty()) return false;
  auto res = std::from_chars(s.data(), s.data() + s.size(), out);
  return res.ec == std::errc() && res.ptr == s.data() + s.size();
}

uint64_t ParseUint64(std::string_view s, std::string_view what) {
  uint64_t v;
  if (!TryParseUint64(s, v)) ThrowParse(s, what, "an unsigned integer");
  return v;
}

int64_t ParseInt64(std::string_view s, std::string_view what) {
  int64_t v;
  auto res = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || res.ec != std::errc() || res.ptr != s.data() + s.size()) {
    ThrowParse(s, what, "an integer");
  }
  return v;
}

bool TryParseDouble(std::string_view s, double& out) {
  if (s.empty()) return false;
  std::string_view body = s;
  bool negative = false;
  if (body[0] == '+' || body[0] == '-') {
    negative = body[0] == '-';
    body.remove_prefix(1);
  }
  // from_chars takes neither a leading '+' nor Go's "Inf"/"NaN" spellings.
  if (body == "Inf" || body == "inf" || body == "+Inf") {
    out = negative ? -HUGE_VAL : HUGE_VAL;
    return true;
  }
  if (body == "NaN" || body == "nan") {
    out = std::numeric_limits<double>::quiet_NaN();
    return true;
  }
  if (body.empty() || body[0] == '+' || body[0] == '-') return false;
  auto res = std::from_chars(body.data(), body.data() + body.size(), out);
  if (res.ec != std::errc() || res.ptr != body.data() + body.size())
    return false;
  if (negative) out = -out;
  return true;
}

double ParseDouble(std::string_view s, std::string_view what) {
  double v;
  if (!TryParseDouble(s, v)) ThrowParse(s, what, "a number");
  return v;
}

bool ConsumePrefix(std::string_view& s, std::string_view prefix) {
  if (!s.starts_with(prefix)) return false;
  s.remove_prefix(prefix.size());
  return true;
}

}  // namespace common
