#pragma once

#include <memory>
#include <mutex>
#include <regex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace common {

// An include/exclude pair of regular expressions over names (mount points,
// devices, fields), as node_exporter's device filters: with an include
// pattern only matching names pass; with an exclude pattern matching names
// are dropped; with neither everything passes. Patterns are searched, not
// anchored (write ^...$ to anchor), in ECMAScript syntax. Verdicts are cached
// per name, since the set of names rarely changes. Thread-safe.
class RegexFilter {
 public:
  // Passes everything.
  RegexFilter() = default;
  // Throws std::invalid_argument naming `flag` if a pattern does not compile
  // or both are given.
  RegexFilter(const std::string& include, const std::string& exclude,
              std::string_view flag_prefix);

  // Passes only names in which `pattern` matches (a fields filter such as
  // --collector.vmstat.fields). Throws std::invalid_argument naming `flag` if
  // the pattern does not compile.
  RegexFilter(const std::string& pattern, std::string_view flag);

  // Returns true if `name` passes the filter.
  bool Allows(std::string_view name) const;

 private:
  std::shared_ptr<const std::regex> include_;
  std::shared_ptr<const std::regex> exclude_;
  mutable std::mutex mu_;
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const {
      return std::hash<std::string_view>{}(s);
    }
  };
  mutable std::unordered_map<std::string, bool, Hash, std::equal_to<>> cache_;
};

// Compiles `pattern`; throws std::invalid_argument naming `flag` if it is not
// a valid regular expression.
std::regex CompileRegex(const std::string& pattern, std::string_view flag);

}  // namespace common
