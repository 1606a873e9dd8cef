#include "textfile_collector.h"

#include <dirent.h>
#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <map>
#include <memory>

#include "common/file_util.h"
#include "common/log.h"

namespace node_health {
namespace {

class LineParser {
 public:
  LineParser(std::string_view line, size_t line_no)
      : s_(line), line_no_(line_no) {}

  [[noreturn]] void Fail(const std::string& why) const {
    throw common::ParseError("line " + std::to_string(line_no_) + ": " + why);
  }
  void SkipSpaces() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t')) ++pos_;
  }
  bool AtEnd() const { return pos_ >= s_.size(); }
  char Peek() const { return AtEnd() ? '\0' : s_[pos_]; }
  std::string_view Name() {
    size_t b = pos_;
    while (pos_ < s_.size() &&
           (std::isalnum(static_cast<unsigned char>(s_[pos_])) ||
            s_[pos_] == '_' || s_[pos_] == ':')) {
      ++pos_;
    }
    return s_.substr(b, pos_ - b);
  }
  std::string_view Token() {
    size_t b = pos_;
    while (pos_ < s_.size() && s_[pos_] != ' ' && s_[pos_] != '\t') ++pos_;
    return s_.substr(b, pos_ - b);
  }
  std::string_view Rest() { return s_.substr(std::min(pos_, s_.size())); }
  void Expect(char c) {
    if (Peek() != c) Fail(std::string("expected '") + c + "'");
    ++pos_;
  }
  std::string QuotedValue() {
    Expect('"');
    std::string out;
    while (!AtEnd() && s_[pos_] != '"') {
      char c = s_[pos_++];
      if (c == '\\') {
        if (AtEnd()) Fail("unterminated escape in label value");
        char e = s_[pos_++];
        if (e == 'n') {
          out += '\n';
        } else if (e == '\\' || e == '"') {
          out += e;
        } else {
          Fail(std::string("invalid escape \\") + e + " in label value");
        }
      } else {
        out += c;
      }
    }
    Expect('"');
    return out;
  }

 private:
  std::string_view s_;
  size_t line_no_;
  size_t pos_ = 0;
};

std::string UnescapeHelp(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size() &&
        (s[i + 1] == '\\' || s[i + 1] == 'n')) {
      out += s[i + 1] == 'n' ? '\n' : '\\';
      ++i;
    } else {
      out += s[i];
    }
  }
  return out;
}

bool ParseType(std::string_view s, common::MetricType& out) {
  using common::MetricType;
  static const std::pair<std::string_view, MetricType> kTypes[] = {
      {"counter", MetricType::kCounter},
      {"gauge", MetricType::kGauge},
      {"untyped", MetricType::kUntyped},
      {"histogram", MetricType::kHistogram},
      {"summary", MetricType::kSummary}};
  for (const auto& [name, type] : kTypes) {
    if (s == name) {
      out = type;
      return true;
    }
  }
  return false;
}

}  // namespace

std::vector<TextFamily> ParseTextFormat(std::string_view text) {
  std::vector<TextFamily> families;
  std::map<std::string, size_t, std::less<>> index;
  std::map<std::string, bool, std::less<>> typed;
  auto family = [&](std::string_view name) -> TextFamily& {
    auto it = index.find(name);
    if (it != index.end()) return families[it->second];
    index.emplace(std::string(name), families.size());
    families.push_back(TextFamily{
        std::string(name), "", common::MetricType::kUntyped, false, {}});
    return families.back();
  };
  // The family a sample name belongs to: a histogram or summary declared by
  // TYPE owns its _bucket/_sum/_count samples.
  auto owner = [&](std::string_view name, std::string& suffix) -> TextFamily& {
    for (std::string_view sfx : {"_bucket", "_sum", "_count"}) {
      if (!name.ends_with(sfx)) continue;
      std::string_view base = name.substr(0, name.size() - sfx.size());
      auto it = index.find(base);
      if (it == index.end()) continue;
      auto type = families[it->second].type;
      if (type == common::MetricType::kHistogram ||
          (type == common::MetricType::kSummary && sfx != "_bucket")) {
        suffix = std::string(sfx);
        return families[it->second];
      }
    }
    suffix.clear();
    return family(name);
  };

  size_t line_no = 0;
  common::ForEachLine(text, [&](std::string_view raw) {
    ++line_no;
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    LineParser p(raw, line_no);
    p.SkipSpaces();
    if (p.AtEnd()) return;
    if (p.Peek() == '#') {
      p.Expect('#');
      p.SkipSpaces();
      std::string_view keyword = p.Token();
      if (keyword != "HELP" && keyword != "TYPE") return;  // a plain comment
      p.SkipSpaces();
      std::string_view name = p.Name();
      if (!common::IsValidMetricName(name))
        p.Fail("invalid metric name in " + std::string(keyword));
      if (!p.AtEnd() && p.Peek() != ' ' && p.Peek() != '\t')
        p.Fail("invalid metric name");
      p.SkipSpaces();
      TextFamily& f = family(name);
      if (keyword == "HELP") {
        if (f.has_help) p.Fail("second HELP line for " + std::string(name));
        f.help = UnescapeHelp(p.Rest());
        f.has_help = true;
      } else {
        if (typed[std::string(name)])
          p.Fail("second TYPE line for " + std::string(name));
        if (!f.samples.empty())
          p.Fail("TYPE for " + std::string(name) + " after its samples");
        std::string_view type = common::Trim(p.Rest());
        if (!ParseType(type, f.type))
          p.Fail("unknown metric type " + common::Quote(type));
        typed[std::string(name)] = true;
      }
      return;
    }
    std::string_view name = p.Name();
    if (!common::IsValidMetricName(name)) p.Fail("invalid metric name");
    TextSample sample;
    if (p.Peek() == '{') {
      p.Expect('{');
      p.SkipSpaces();
      while (p.Peek() != '}') {
        std::string_view label = p.Name();
        if (!common::IsValidLabelName(label)) {
          p.Fail("invalid label name " + common::Quote(label));
        }
        p.SkipSpaces();
        p.Expect('=');
        p.SkipSpaces();
        std::string value = p.QuotedValue();
        for (const auto& [k, v] : sample.labels) {
          if (k == label) p.Fail("duplicate label " + common::Quote(label));
        }
        sample.labels.emplace_back(std::string(label), std::move(value));
        p.SkipSpaces();
        if (p.Peek() == ',') {
          p.Expect(',');
          p.SkipSpaces();
        } else if (p.Peek() != '}') {
          p.Fail("expected ',' or '}' in label set");
        }
      }
      p.Expect('}');
    }
    p.SkipSpaces();
    std::string_view value = p.Token();
    if (!common::TryParseDouble(value, sample.value)) {
      p.Fail("invalid value " + common::Quote(value));
    }
    p.SkipSpaces();
    if (!p.AtEnd()) p.Fail("client-side timestamps are not supported");
    std::string suffix;
    TextFamily& f = owner(name, suffix);
    sample.suffix = suffix;
    f.samples.push_back(std::move(sample));
  });
  std::erase_if(families,
                [](const TextFamily& f) { return f.samples.empty(); });
  return families;
}

TextfileCollector::TextfileCollector(std::vector<std::string> directories)
    : directories_(std::move(directories)),
      mtime_("node_textfile_mtime_seconds",
             "Unixtime mtime of textfiles successfully read.",
             common::MetricType::kGauge, {"file"}),
      scrape_error_(
          "node_textfile_scrape_error",
          "1 if there was an error opening or reading a file, 0 otherwise",
          common::MetricType::kGauge) {}

void TextfileCollector::Update(common::MetricSink& sink) {
  bool error = false;
  for (const auto& dir : directories_) {
    DIR* d = opendir(dir.c_str());
    if (d == nullptr) {
      error = true;
      common::log::Error("failed to read textfile collector directory",
                         {{"path", dir}, {"err", std::strerror(errno)}});
      continue;
    }
    std::vector<std::string> files;
    while (dirent* e = readdir(d)) {
      std::string_view n = e->d_name;
      if (n.ends_with(".prom") && n[0] != '.') files.emplace_back(n);
    }
    closedir(d);
    std::sort(files.begin(), files.end());
    for (const auto& name : files) {
      std::string path = common::JoinPath(dir, name);
      struct stat st;
      std::vector<TextFamily> families;
      try {
        std::string text = common::ReadFile(path);
        if (::stat(path.c_str(), &st) != 0)
          throw common::FileError(path, errno);
        families = ParseTextFormat(text);
      } catch (const std::exception& e) {
        error = true;
        common::log::Error("failed to parse textfile data",
                           {{"file", path}, {"err", e.what()}});
        continue;
      }
      for (auto& f : families) {
        std::string help = f.has_help ? f.help : "Metric read from " + path;
        const common::Desc& desc =
            sink.OwnDesc(common::Desc(f.name, help, f.type));
        if (f.type == common::MetricType::kHistogram ||
            f.type == common::MetricType::kSummary) {
          sink.KeepOrder(desc);
        }
        std::vector<common::MetricSink::Label> labels;
        for (const auto& s : f.samples) {
          labels.clear();
          for (const auto& [k, v] : s.labels) labels.emplace_back(k, v);
          std::string_view suffix = s.suffix == "_bucket"  ? "_bucket"
                                    : s.suffix == "_sum"   ? "_sum"
                                    : s.suffix == "_count" ? "_count"
                                                           : "";
          sink.AddRaw(desc, suffix, s.value, labels);
        }
      }
      sink.Add(mtime_,
               static_cast<double>(st.st_mtim.tv_sec) +
                   static_cast<double>(st.st_mtim.tv_nsec) / 1e9,
               {path});
    }
  }
  sink.Add(scrape_error_, error ? 1 : 0);
}

common::CollectorSpec TextfileSpec() {
  auto dirs = std::make_shared<std::vector<std::string>>();
  return {
      .name = "textfile",
      .enabled_by_default = true,
      .add_flags =
          [dirs](CLI::App& app) {
            app.add_option(
                   "--collector.textfile.directory", *dirs,
                   "Directory to read text files with metrics from (*.prom). "
                   "Repeatable.")
                ->group("Collector options");
          },
      .factory =
          [dirs](const common::CollectorContext&) {
            return std::make_unique<TextfileCollector>(*dirs);
          }};
}

}  // namespace node_health
