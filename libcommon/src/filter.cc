#include "common/filter.h"

#include <stdexcept>

namespace common {
namespace {
// Bounds the verdict cache so that churning names (veth pairs of short-lived
// containers) cannot grow it without limit.
constexpr size_t kMaxCachedVerdicts = 4096;
}  // namespace

std::regex CompileRegex(const std::string& pattern, std::string_view flag) {
  try {
    return std::regex(pattern, std::regex::ECMAScript | std::regex::optimize);
  } catch (const std::regex_error& e) {
    throw std::invalid_argument(std::string(flag) +
                                ": invalid regular expression \"" + pattern +
                                "\": " + e.what());
  }
}

RegexFilter::RegexFilter(const std::string& include, const std::string& exclude,
                         std::string_view flag_prefix) {
  std::string prefix(flag_prefix);
  if (!include.empty() && !exclude.empty()) {
    throw std::invalid_argument(prefix + "-include and " + prefix +
                                "-exclude cannot be used together");
  }
  if (!include.empty()) {
    include_ = std::make_shared<std::regex>(
        CompileRegex(include, prefix + "-include"));
  }
  if (!exclude.empty()) {
    exclude_ = std::make_shared<std::regex>(
        CompileRegex(exclude, prefix + "-exclude"));
  }
}

RegexFilter::RegexFilter(const std::string& pattern, std::string_view flag)
    : include_(std::make_shared<std::regex>(CompileRegex(pattern, flag))) {}

bool RegexFilter::Allows(std::string_view name) const {
  if (!include_ && !exclude_) return true;
  std::lock_guard lock(mu_);
  auto it = cache_.find(name);
  if (it != cache_.end()) return it->second;
  bool verdict;
  if (include_) {
    verdict = std::regex_search(name.begin(), name.end(), *include_);
  } else {
    verdict = !std::regex_search(name.begin(), name.end(), *exclude_);
  }
  if (cache_.size() >= kMaxCachedVerdicts) cache_.clear();
  cache_.emplace(std::string(name), verdict);
  return verdict;
}

}  // namespace common
