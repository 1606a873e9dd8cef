#include "common/metric_sink.h"

#include <doctest/doctest.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <stdexcept>

#include "common/file_util.h"

using common::Desc;
using common::MetricSink;
using common::MetricType;

TEST_SUITE_BEGIN("common::MetricSink");

namespace {
std::string Finish(MetricSink& sink) {
  std::string out;
  sink.Finish(out);
  return out;
}
}  // namespace

TEST_CASE("families sort by name and series by labels") {
  Desc b("b_total", "B things.", MetricType::kCounter, {"x"});
  Desc a("a", "A thing.", MetricType::kGauge);
  MetricSink sink;
  sink.Add(b, 2, {"z"});
  sink.Add(b, 1, {"y"});
  sink.Add(a, 3);
  CHECK(Finish(sink) ==
        "# HELP a A thing.\n# TYPE a gauge\na 3\n"
        "# HELP b_total B things.\n# TYPE b_total counter\n"
        "b_total{x=\"y\"} 1\nb_total{x=\"z\"} 2\n");
}

TEST_CASE("values: integers, the u64 maximum, fractions, NaN and infinities") {
  Desc d("v", "V.", MetricType::kGauge, {"k"});
  MetricSink sink;
  sink.Add(d, 18446744073709551615.0, {"a"});
  sink.Add(d, 0.1, {"b"});
  sink.Add(d, std::numeric_limits<double>::quiet_NaN(), {"c"});
  sink.Add(d, HUGE_VAL, {"d"});
  sink.Add(d, -HUGE_VAL, {"e"});
  sink.Add(d, 3831959552, {"f"});
  sink.Add(d, -0.5, {"g"});
  CHECK(Finish(sink) ==
        "# HELP v V.\n# TYPE v gauge\n"
        "v{k=\"a\"} 18446744073709551616\nv{k=\"b\"} 0.1\nv{k=\"c\"} NaN\n"
        "v{k=\"d\"} +Inf\nv{k=\"e\"} -Inf\nv{k=\"f\"} 3831959552\nv{k=\"g\"} "
        "-0.5\n");
}

TEST_CASE("label values are escaped and invalid UTF-8 is replaced") {
  Desc d("e", "Help with \\ and\nnewline.", MetricType::kGauge, {"k"});
  MetricSink sink;
  sink.Add(d, 1, {"a\"b\\c\nd"});
  sink.Add(d, 2,
           {"\xff"
            "ok \xc3\xa9"});
  CHECK(Finish(sink) ==
        "# HELP e Help with \\\\ and\\nnewline.\n# TYPE e gauge\n"
        "e{k=\"a\\\"b\\\\c\\nd\"} 1\ne{k=\"\xEF\xBF\xBDok \xc3\xa9\"} 2\n");
}

TEST_CASE("duplicate series keep the first; same-named families merge") {
  Desc d1("m", "First.", MetricType::kGauge, {"k"});
  Desc d2("m", "Second.", MetricType::kGauge, {"k"});
  MetricSink sink;
  sink.Add(d1, 1, {"a"});
  sink.Add(d2, 2, {"a"});
  sink.Add(d2, 3, {"b"});
  CHECK(Finish(sink) ==
        "# HELP m First.\n# TYPE m gauge\nm{k=\"a\"} 1\nm{k=\"b\"} 3\n");
}

TEST_CASE("Rollback drops what was added after the mark") {
  Desc d("r", "R.", MetricType::kGauge, {"k"});
  Desc other("s", "S.", MetricType::kGauge);
  MetricSink sink;
  sink.Add(d, 1, {"kept"});
  size_t mark = sink.size();
  sink.Add(d, 2, {"dropped"});
  sink.Add(other, 3);
  sink.Rollback(mark);
  CHECK(sink.size() == 1);
  CHECK(Finish(sink) == "# HELP r R.\n# TYPE r gauge\nr{k=\"kept\"} 1\n");
}

TEST_CASE("a cleared sink renders its next scrape as a fresh one would") {
  Desc d1("m", "First.", MetricType::kGauge, {"k"});
  Desc d2("m", "Second.", MetricType::kGauge, {"k"});
  Desc h("h", "H.", MetricType::kHistogram);
  Desc z("z", "Z.", MetricType::kGauge);
  MetricSink reused;
  reused.Add(z, 9);
  reused.KeepOrder(h);
  reused.AddRaw(h, "_bucket", 1, std::vector<MetricSink::Label>{{"le", "2"}});
  reused.AddRaw(h, "_bucket", 2, std::vector<MetricSink::Label>{{"le", "1"}});
  reused.Add(d1, 1, {"a"});
  reused.OwnDesc(Desc("o", "Owned.", MetricType::kGauge));
  CHECK(!Finish(reused).empty());
  reused.Clear();
  CHECK(reused.size() == 0);
  CHECK(Finish(reused).empty());

  // Another order of first use, a rollback, h without KeepOrder.
  auto scrape = [&](MetricSink& sink) {
    sink.Add(d2, 2, {"b"});
    sink.Add(d1, 1, {"a"});
    size_t mark = sink.size();
    sink.Add(z, 3);
    sink.Rollback(mark);
    sink.AddRaw(h, "_bucket", 1, std::vector<MetricSink::Label>{{"le", "2"}});
    sink.AddRaw(h, "_bucket", 2, std::vector<MetricSink::Label>{{"le", "1"}});
    const Desc& owned = sink.OwnDesc(Desc("o", "Owned.", MetricType::kGauge));
    sink.Add(owned, 4);
  };
  MetricSink fresh;
  scrape(fresh);
  scrape(reused);
  std::string want = Finish(fresh);
  CHECK(want.find("# HELP m Second.\n") != std::string::npos);
  CHECK(want.find("h_bucket{le=\"1\"} 2\nh_bucket{le=\"2\"} 1\n") !=
        std::string::npos);
  CHECK(Finish(reused) == want);
}

TEST_CASE("a sink cleared after a huge scrape still works") {
  Desc d("big", "Big.", MetricType::kGauge, {"i"});
  MetricSink sink;
  for (size_t i = 0; i < MetricSink::kKeptSamples + 10; ++i)
    sink.Add(d, 1, {std::to_string(i)});
  CHECK(sink.size() == MetricSink::kKeptSamples + 10);
  sink.Clear();
  sink.Add(d, 2, {"x"});
  CHECK(Finish(sink) == "# HELP big Big.\n# TYPE big gauge\nbig{i=\"x\"} 2\n");
}

TEST_CASE("AddRaw keeps suffixes and order for histograms") {
  Desc h("h", "H.", MetricType::kHistogram);
  MetricSink sink;
  sink.KeepOrder(h);
  common::MetricSink::Label le1[] = {{"le", "0.5"}};
  common::MetricSink::Label le2[] = {{"le", "+Inf"}};
  sink.AddRaw(h, "_bucket", 1, le1);
  sink.AddRaw(h, "_bucket", 2, le2);
  sink.AddRaw(h, "_sum", 0.7, {});
  sink.AddRaw(h, "_count", 2, {});
  CHECK(Finish(sink) ==
        "# HELP h H.\n# TYPE h histogram\nh_bucket{le=\"0.5\"} "
        "1\nh_bucket{le=\"+Inf\"} 2\n"
        "h_sum 0.7\nh_count 2\n");
}

TEST_CASE("a label count mismatch and invalid names throw") {
  Desc d("x", "X.", MetricType::kGauge, {"a", "b"});
  MetricSink sink;
  CHECK_THROWS_AS(sink.Add(d, 1, {"only-one"}), std::invalid_argument);
  CHECK_THROWS_AS(Desc("1bad", "", MetricType::kGauge), std::invalid_argument);
  CHECK_THROWS_AS(Desc("ok", "", MetricType::kGauge, {"__reserved"}),
                  std::invalid_argument);
  CHECK_THROWS_AS(Desc("ok", "", MetricType::kGauge, {"has-dash"}),
                  std::invalid_argument);
}

TEST_CASE("ReadFileOnce reads a file once per sink") {
  char path[] = "/tmp/vigil-sink-XXXXXX";
  int fd = mkstemp(path);
  REQUIRE(fd >= 0);
  REQUIRE(write(fd, "first", 5) == 5);
  close(fd);
  {
    MetricSink sink;
    CHECK(sink.ReadFileOnce(path) == "first");
    std::ofstream(path) << "second";
    CHECK(sink.ReadFileOnce(path) == "first");  // same scrape, same snapshot
  }
  MetricSink next;
  CHECK(next.ReadFileOnce(path) == "second");
  std::remove(path);
  CHECK_THROWS_AS(next.ReadFileOnce("/nonexistent/vigil"), common::FileError);
}

TEST_SUITE_END();
