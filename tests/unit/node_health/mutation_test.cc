// Every collector against fixture files mangled in many ways: truncated,
// bytes flipped, lines dropped, doubled or swapped, numbers replaced by
// extreme or broken ones. A collector may fail, but only with the errors
// that name what is wrong (ParseError, FileError, NoDataError), never with
// a crash (the suite also runs under ASan+UBSan) or a stray exception such
// as std::out_of_range; and every sample line it renders must read back as
// "name{labels} value" with a number for the value (promtool's stricter
// check of the whole output is lint.sh's).

#include <doctest/doctest.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "collectors.h"
#include "common/file_util.h"
#include "common/metric_sink.h"
#include "test_util.h"

namespace fs = std::filesystem;

namespace {

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void Spill(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << text;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  common::ForEachLine(text, [&](std::string_view l) { out.emplace_back(l); });
  return out;
}

std::string Join(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

// The fixture tree copied to a temporary directory, removed at the end.
struct Tree {
  fs::path root;
  Tree() {
    std::string tmpl =
        (fs::temp_directory_path() / "vigil-mut-XXXXXX").string();
    REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    root = tmpl;
    fs::copy(fs::path(VIGIL_FIXTURES_DIR) / "node_health", root,
             fs::copy_options::recursive | fs::copy_options::copy_symlinks);
  }
  ~Tree() {
    std::error_code ec;
    fs::remove_all(root, ec);
  }
  common::Paths paths() const {
    common::Paths p;
    p.procfs = (root / "proc").string();
    p.sysfs = (root / "sys").string();
    p.rootfs = (root / "rootfs").string();
    p.udev_data = (root / "udev/data").string();
    return p;
  }
};

// One mangled version of `text`, chosen by `kind`.
std::string Mutate(const std::string& text, int kind, std::mt19937& rng) {
  auto pick = [&](size_t n) {
    return n == 0 ? 0 : std::uniform_int_distribution<size_t>(0, n - 1)(rng);
  };
  std::vector<std::string> lines = Lines(text);
  static const std::vector<std::string> kNumbers = {"-1",
                                                    "18446744073709551616",
                                                    "99999999999999999999999",
                                                    "1e400",
                                                    "nan",
                                                    "-",
                                                    "",
                                                    "0x10",
                                                    "3.5",
                                                    "+",
                                                    "1,5",
                                                    "\xff\xfe"};
  static const std::vector<std::string> kGarbage = {
      "",
      " ",
      "\t\t",
      "garbage",
      "a b c d e f g h i j k l m n o p q r s t",
      std::string(5000, 'x'),
      std::string("\0\0", 2),
      "}{\"\\",
      ":::"};
  switch (kind) {
    case 0:  // truncated anywhere
      return text.substr(0, pick(text.size() + 1));
    case 1: {  // one byte changed
      if (text.empty()) return "\n";
      std::string t = text;
      static const char kBytes[] = {'\0', '\n', ' ', '\t', '9',  '-',
                                    'x',  ':',  '{', '"',  '\\', '\xff'};
      t[pick(t.size())] = kBytes[pick(sizeof(kBytes))];
      return t;
    }
    case 2:  // a line dropped
      if (!lines.empty()) lines.erase(lines.begin() + pick(lines.size()));
      return Join(lines);
    case 3:  // a line doubled
      if (!lines.empty()) {
        size_t i = pick(lines.size());
        lines.insert(lines.begin() + i, lines[i]);
      }
      return Join(lines);
    case 4:  // two lines swapped
      if (lines.size() > 1) std::swap(lines[pick(lines.size())], lines[0]);
      return Join(lines);
    case 5:  // a garbage line inserted
      lines.insert(lines.begin() + pick(lines.size() + 1),
                   kGarbage[pick(kGarbage.size())]);
      return Join(lines);
    case 6: {  // a number replaced by an extreme or broken one
      std::string t = text;
      std::vector<size_t> starts;
      for (size_t i = 0; i < t.size(); ++i) {
        if (std::isdigit(static_cast<unsigned char>(t[i])) &&
            (i == 0 || !std::isalnum(static_cast<unsigned char>(t[i - 1]))))
          starts.push_back(i);
      }
      if (starts.empty()) return t + "1\n";
      size_t b = starts[pick(starts.size())], e = b;
      while (e < t.size() &&
             (std::isalnum(static_cast<unsigned char>(t[e])) || t[e] == '.'))
        ++e;
      return t.substr(0, b) + kNumbers[pick(kNumbers.size())] + t.substr(e);
    }
    case 7:  // fields of a line cut off
      if (!lines.empty()) {
        std::string& l = lines[pick(lines.size())];
        l = l.substr(0, pick(l.size() + 1));
      }
      return Join(lines);
    default:  // emptied
      return "";
  }
}

}  // namespace

TEST_SUITE_BEGIN("node_health::mutation");

TEST_CASE("every collector survives mangled fixture files, failing cleanly") {
  Tree tree;
  // Every collector, with the textfile directory pointed at the copy.
  CLI::App app;
  auto specs = node_health::CollectorSpecs();
  for (auto& spec : specs) {
    if (spec.add_flags) spec.add_flags(app);
  }
  std::string textfile_flag =
      "--collector.textfile.directory=" + (tree.root / "textfile").string();
  std::vector<const char*> argv = {"test", textfile_flag.c_str()};
  app.parse(static_cast<int>(argv.size()), argv.data());
  common::Paths paths = tree.paths();
  std::vector<std::pair<std::string, std::unique_ptr<common::Collector>>> cs;
  for (auto& spec : specs)
    cs.emplace_back(spec.name, spec.factory(common::CollectorContext{paths}));

  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(tree.root)) {
    if (e.is_regular_file() && !e.is_symlink()) files.push_back(e.path());
  }
  REQUIRE(files.size() > 60);

  std::mt19937 rng(20261204);  // fixed: the same cases on every run
  std::map<std::string, int> failures_by_collector;
  size_t runs = 0, stray = 0, unprintable = 0;
  for (int round = 0; round < 3; ++round) {
    for (const fs::path& file : files) {
      for (int kind = 0; kind < 9; ++kind) {
        std::string original = Slurp(file);
        Spill(file, Mutate(original, kind, rng));
        for (auto& [name, c] : cs) {
          common::MetricSink sink;
          ++runs;
          // A clean failure's message is one printable line.
          auto clean = [&](const std::exception& e) {
            ++failures_by_collector[name];
            std::string_view what = e.what();
            bool printable = !what.empty();
            for (unsigned char ch : what) printable &= ch >= 0x20 && ch != 0x7f;
            if (!printable) {
              ++unprintable;
              FAIL_CHECK(name << ": message with control bytes: "
                              << common::Quote(what));
            }
          };
          try {
            c->Update(sink);
          } catch (const common::ParseError& e) {
            clean(e);
          } catch (const common::FileError& e) {
            clean(e);
          } catch (const common::NoDataError& e) {
            clean(e);
          } catch (const std::exception& e) {
            ++stray;
            FAIL_CHECK(name << " threw " << typeid(e).name() << " (\""
                            << e.what() << "\") on " << file.string()
                            << ", mutation " << kind);
            continue;
          }
          std::string out;
          sink.Finish(out);
          // Every sample line reads back: name{labels} value.
          CHECK_NOTHROW(test::ParseSeries(out));
        }
        Spill(file, original);
      }
    }
  }
  std::string failed;
  for (const auto& [name, n] : failures_by_collector)
    failed += " " + name + "=" + std::to_string(n);
  MESSAGE(runs << " collector runs on mangled files, " << stray
               << " stray exceptions; clean failures:" << failed);
  CHECK(stray == 0);
  CHECK(unprintable == 0);
  // The mangling reached the parsers: most collectors failed somewhere.
  CHECK(failures_by_collector.size() >= 12);
}

TEST_SUITE_END();
