#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace common {

// A file could not be read. `error_code()` is the errno of the failure.
class FileError : public std::runtime_error {
 public:
  FileError(const std::string& path, int error_code);
  int error_code() const { return error_code_; }

 private:
  int error_code_;
};

// Source data did not have the expected form. The message names what and
// where ("/proc/stat: line 3: expected a number, got \"x\"").
class ParseError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Reads the whole of `path` into `out` (cleared first), to EOF whatever
// st_size says (procfs reports 0). Throws FileError.
void ReadFileInto(const std::string& path, std::string& out);

// Reads the whole of `path`. Throws FileError.
std::string ReadFile(const std::string& path);

// Reads `path`, or returns std::nullopt if it does not exist (ENOENT or
// ENOTDIR). Throws FileError on any other failure.
std::optional<std::string> ReadOptionalFile(const std::string& path);

// A mount table file (/proc/<pid>/mountinfo) read again only when the
// kernel says the table changed: procfs wakes poll(2) with POLLPRI after a
// mount, umount or remount in the namespace, so an unchanged table costs one
// poll instead of generating the file (tens of microseconds, most of the
// filesystem collector's CPU). A file that is not on procfs (a fixture) is
// read every time. Not thread-safe: callers serialise.
class MountTableFile {
 public:
  explicit MountTableFile(std::string path) : path_(std::move(path)) {}
  ~MountTableFile();
  MountTableFile(const MountTableFile&) = delete;
  MountTableFile& operator=(const MountTableFile&) = delete;

  // Reads the file into `out` and returns true, unless it is watched, was
  // read whole last time and the kernel reports no change since: then
  // returns false and leaves `out` alone. Throws FileError (nothing is
  // remembered then, so the next call reads again).
  bool ReadIfChanged(std::string& out);

  // Forgets the last read, so that the next ReadIfChanged reads (after the
  // caller failed to parse what it got).
  void Invalidate() { fresh_ = false; }

 private:
  std::string path_;
  int fd_ = -1;         // kept open while watched
  bool fresh_ = false;  // the last read succeeded and was used
};

// Reads `path` with surrounding whitespace removed. Throws FileError.
std::string ReadTrimmed(const std::string& path);

// `s` in double quotes for an error message: at most 64 bytes of it ("..."
// marks the cut), '"' and '\\' escaped, control bytes as \xNN, so that a
// message naming bad input stays one readable line, whatever the input.
std::string Quote(std::string_view s);

// Returns `s` without leading and trailing spaces, tabs and newlines.
std::string_view Trim(std::string_view s);

// Returns the next field of `s` at or after `pos`, fields being separated by
// runs of spaces and tabs, and moves `pos` past it; an empty view when no
// field is left. Walks the bytes itself: std::string_view::find_first_of
// calls memchr once per byte, which dominated line parsing.
inline std::string_view NextField(std::string_view s, size_t& pos) {
  while (pos < s.size() && (s[pos] == ' ' || s[pos] == '\t')) ++pos;
  size_t begin = pos;
  while (pos < s.size() && s[pos] != ' ' && s[pos] != '\t') ++pos;
  return s.substr(begin, pos - begin);
}

// Splits `s` at runs of spaces and tabs; empty fields are dropped.
std::vector<std::string_view> SplitFields(std::string_view s);

// Same as SplitFields, reusing `out` (cleared first) to avoid allocations.
void SplitFieldsInto(std::string_view s, std::vector<std::string_view>& out);

// Calls `fn(line)` for each line of `text` without its '\n'. A final line
// without '\n' is passed too; an empty text yields no lines.
template <typename Fn>
void ForEachLine(std::string_view text, Fn&& fn) {
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    fn(line);
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
}

// Parses a whole field as an unsigned 64-bit integer, the full range up to
// 18446744073709551615. Throws ParseError naming `what`.
uint64_t ParseUint64(std::string_view s, std::string_view what);

// Parses a whole field as a signed 64-bit integer. Throws ParseError.
int64_t ParseInt64(std::string_view s, std::string_view what);

// Parses a whole field as a double (also "NaN", "+Inf", "-Inf").
// Throws ParseError.
double ParseDouble(std::string_view s, std::string_view what);

// Returns true and sets `out` if `s` is wholly an unsigned integer.
bool TryParseUint64(std::string_view s, uint64_t& out);

// Returns true and sets `out` if `s` is wholly a double.
bool TryParseDouble(std::string_view s, double& out);

// Removes `prefix` from the front of `s` if it is there; returns whether it
// was.
bool ConsumePrefix(std::string_view& s, std::string_view prefix);

}  // namespace common
