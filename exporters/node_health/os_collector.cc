#include "os_collector.h"

#include <sys/stat.h>

#include <charconv>

#include "common/file_util.h"

namespace node_health {
namespace {

bool IsKeyStart(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}
bool IsKeyChar(char c) { return IsKeyStart(c) || (c >= '0' && c <= '9'); }
bool IsBlank(char c) { return c == ' ' || c == '\t'; }

// A cursor over the whole text, since quoted values may span lines.
class OsReleaseParser {
 public:
  explicit OsReleaseParser(std::string_view text) : s_(text) {}

  std::map<std::string, std::string> Parse() {
    std::map<std::string, std::string> out;
    while (i_ < s_.size()) {
      SkipBlanks();
      if (AtLineEnd()) {
        SkipLineEnd();
        continue;
      }
      if (s_[i_] == '#') {
        SkipComment();
        continue;
      }
      std::string key = Key();
      if (key == "export" && i_ < s_.size() && IsBlank(s_[i_])) {
        SkipBlanks();
        key = Key();
      }
      if (key.empty()) Fail("expected KEY=value");
      if (i_ >= s_.size() || s_[i_] != '=')
        Fail("expected '=' after \"" + key + "\"");
      ++i_;
      std::string value = Value();
      SkipBlanks();
      if (i_ < s_.size() && s_[i_] == '#') SkipComment();
      if (!AtLineEnd())
        Fail("unexpected text after the value of \"" + key + "\"");
      SkipLineEnd();
      out[key] = std::move(value);
    }
    return out;
  }

 private:
  [[noreturn]] void Fail(const std::string& what) {
    throw common::ParseError("os-release: line " + std::to_string(line_) +
                             ": " + what);
  }
  bool AtLineEnd() const { return i_ >= s_.size() || s_[i_] == '\n'; }
  void SkipLineEnd() {
    if (i_ < s_.size()) {
      ++i_;
      ++line_;
    }
  }
  void SkipBlanks() {
    while (i_ < s_.size() && IsBlank(s_[i_])) ++i_;
  }
  void SkipComment() {
    while (!AtLineEnd()) ++i_;
  }
  std::string Key() {
    size_t b = i_;
    if (i_ < s_.size() && IsKeyStart(s_[i_])) {
      while (i_ < s_.size() && IsKeyChar(s_[i_])) ++i_;
    }
    return std::string(s_.substr(b, i_ - b));
  }
  // One shell word: quoted and unquoted pieces up to a blank or line end.
  std::string Value() {
    std::string v;
    while (i_ < s_.size() && !IsBlank(s_[i_]) && s_[i_] != '\n') {
      char c = s_[i_++];
      if (c == '"') {
        DoubleQuoted(v);
      } else if (c == '\'') {
        size_t end = s_.find('\'', i_);
        if (end == std::string_view::npos) Fail("unterminated single quote");
        for (size_t k = i_; k < end; ++k) line_ += s_[k] == '\n';
        v.append(s_.substr(i_, end - i_));
        i_ = end + 1;
      } else if (c == '\\') {
        if (i_ >= s_.size()) break;
        char n = s_[i_++];
        if (n == '\n') {
          ++line_;  // a line continuation
        } else {
          v += n;
        }
      } else {
        v += c;
      }
    }
    return v;
  }
  void DoubleQuoted(std::string& v) {
    for (;;) {
      if (i_ >= s_.size()) Fail("unterminated double quote");
      char c = s_[i_++];
      if (c == '"') return;
      if (c == '\n') ++line_;
      if (c == '\\' && i_ < s_.size()) {
        char n = s_[i_];
        if (n == '"' || n == '\\' || n == '$' || n == '`') {
          v += n;
          ++i_;
          continue;
        }
        if (n == '\n') {
          ++i_;
          ++line_;
          continue;
        }
      }
      v += c;
    }
  }

  std::string_view s_;
  size_t i_ = 0;
  size_t line_ = 1;
};

std::string_view Get(const std::map<std::string, std::string>& env,
                     const char* key) {
  auto it = env.find(key);
  return it == env.end() ? std::string_view() : std::string_view(it->second);
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
// days_from_civil).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

}  // namespace

std::map<std::string, std::string> ParseOsRelease(std::string_view text) {
  return OsReleaseParser(text).Parse();
}

std::optional<double> ParseOsVersion(std::string_view version_id) {
  size_t n = 0;
  while (n < version_id.size() && version_id[n] >= '0' && version_id[n] <= '9')
    ++n;
  if (n == 0) return std::nullopt;
  if (n < version_id.size() && version_id[n] == '.') {
    ++n;
    while (n < version_id.size() && version_id[n] >= '0' &&
           version_id[n] <= '9')
      ++n;
  }
  double v = 0;
  // from_chars takes "12." as 12.
  std::from_chars(version_id.data(), version_id.data() + n, v);
  return v;
}

double ParseSupportEnd(std::string_view date) {
  auto fail = [&]() -> double {
    throw common::ParseError(
        "os-release: SUPPORT_END: expected YYYY-MM-DD, got \"" +
        std::string(date) + "\"");
  };
  if (date.size() != 10 || date[4] != '-' || date[7] != '-') return fail();
  int y = 0;
  unsigned m = 0, d = 0;
  auto num = [&](size_t pos, size_t len, auto& out) {
    auto r = std::from_chars(date.data() + pos, date.data() + pos + len, out);
    return r.ec == std::errc() && r.ptr == date.data() + pos + len;
  };
  if (!num(0, 4, y) || !num(5, 2, m) || !num(8, 2, d)) return fail();
  static constexpr unsigned kDays[] = {31, 29, 31, 30, 31, 30,
                                       31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1 || d > kDays[m - 1]) return fail();
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (m == 2 && d == 29 && !leap) return fail();
  return static_cast<double>(DaysFromCivil(y, m, d)) * 86400.0;
}

OsCollector::OsCollector(const common::Paths& paths)
    : etc_path_(paths.Rootfs("/etc/os-release")),
      usr_lib_path_(paths.Rootfs("/usr/lib/os-release")),
      info_("node_os_info",
            "A metric with a constant '1' value labeled by build_id, id, "
            "id_like, image_id, "
            "image_version, name, pretty_name, variant, variant_id, version, "
            "version_codename, version_id.",
            common::MetricType::kGauge,
            {"build_id", "id", "id_like", "image_id", "image_version", "name",
             "pretty_name", "variant", "variant_id", "version",
             "version_codename", "version_id"}),
      version_("node_os_version",
               "Metric containing the major.minor part of the OS version.",
               common::MetricType::kGauge, {"id", "id_like", "name"}),
      support_end_(
          "node_os_support_end_timestamp_seconds",
          "Metric containing the end-of-life date timestamp of the OS.",
          common::MetricType::kGauge) {}

std::shared_ptr<const std::map<std::string, std::string>>
OsCollector::Release() {
  // os-release changes only on upgrades: parse it again only when the file
  // that answers is another one or was modified, as node_exporter does.
  struct stat st {};
  const std::string* path = &etc_path_;
  if (::stat(path->c_str(), &st) != 0) {
    path = &usr_lib_path_;
    if (::stat(path->c_str(), &st) != 0) {
      throw common::NoDataError("neither " + etc_path_ + " nor " +
                                usr_lib_path_ + " exists");
    }
  }
  std::lock_guard lock(mu_);
  if (cached_ && cached_path_ == *path &&
      cached_mtime_ns_ ==
          st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec &&
      cached_ino_ == st.st_ino && cached_size_ == st.st_size) {
    return cached_;
  }
  auto env = std::make_shared<const std::map<std::string, std::string>>(
      ParseOsRelease(common::ReadFile(*path)));
  cached_ = env;
  cached_path_ = *path;
  cached_mtime_ns_ = st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
  cached_ino_ = st.st_ino;
  cached_size_ = st.st_size;
  return env;
}

void OsCollector::Update(common::MetricSink& sink) {
  auto release = Release();
  const auto& env = *release;

  sink.Add(info_, 1.0,
           {Get(env, "BUILD_ID"), Get(env, "ID"), Get(env, "ID_LIKE"),
            Get(env, "IMAGE_ID"), Get(env, "IMAGE_VERSION"), Get(env, "NAME"),
            Get(env, "PRETTY_NAME"), Get(env, "VARIANT"),
            Get(env, "VARIANT_ID"), Get(env, "VERSION"),
            Get(env, "VERSION_CODENAME"), Get(env, "VERSION_ID")});
  // As node_exporter, a version of 0 (or none) is not reported.
  if (auto v = ParseOsVersion(Get(env, "VERSION_ID")); v && *v > 0) {
    sink.Add(version_, *v,
             {Get(env, "ID"), Get(env, "ID_LIKE"), Get(env, "NAME")});
  }
  if (auto end = Get(env, "SUPPORT_END"); !end.empty()) {
    sink.Add(support_end_, ParseSupportEnd(end));
  }
}

common::CollectorSpec OsSpec() {
  return {.name = "os",
          .enabled_by_default = true,
          .add_flags = nullptr,
          .factory = [](const common::CollectorContext& ctx) {
            return std::make_unique<OsCollector>(ctx.paths);
          }};
}

}  // namespace node_health
