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

// Reads `path` with surrounding whitespace removed. Throws FileError.
std::string ReadTrimmed(const std::string& path);

// Returns `s` without leading and trailing spaces, tabs and newlines.
std::string_view Trim(std::string_view s);

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
