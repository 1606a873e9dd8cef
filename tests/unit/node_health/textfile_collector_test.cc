#include "textfile_collector.h"

#include <doctest/doctest.h>

#include "common/file_util.h"
#include "test_util.h"

using node_health::ParseTextFormat;

TEST_SUITE_BEGIN("node_health::textfile");

TEST_CASE("ParseTextFormat groups histogram samples and unescapes labels") {
  auto f = ParseTextFormat(
      "# HELP h Latency.\n# TYPE h histogram\n"
      "h_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 3\nh_sum 4.5\nh_count 3\n"
      "g{a=\"x\\\"y\\\\z\\n\",b=\"2\",} -1.5e3\n");
  REQUIRE(f.size() == 2);
  CHECK(f[0].name == "h");
  CHECK(f[0].type == common::MetricType::kHistogram);
  REQUIRE(f[0].samples.size() == 4);
  CHECK(f[0].samples[0].suffix == "_bucket");
  CHECK(f[0].samples[1].labels[0].second == "+Inf");
  CHECK(f[0].samples[3].suffix == "_count");
  CHECK(f[0].samples[3].value == 3);
  CHECK(f[1].name == "g");
  CHECK(f[1].samples[0].labels[0].second == "x\"y\\z\n");
  CHECK(f[1].samples[0].value == -1500);
}

TEST_CASE("ParseTextFormat rejects malformed text with the line number") {
  CHECK_THROWS_WITH_AS(ParseTextFormat("a 1\nb{x=\"1\" 2\n"),
                       "line 2: expected ',' or '}' in label set",
                       common::ParseError);
  CHECK_THROWS_WITH_AS(ParseTextFormat("a one\n"),
                       "line 1: invalid value \"one\"", common::ParseError);
  CHECK_THROWS_WITH_AS(ParseTextFormat("a 1 1700000000000\n"),
                       "line 1: client-side timestamps are not supported",
                       common::ParseError);
  CHECK_THROWS_AS(ParseTextFormat("a 1\n# TYPE a gauge\n"), common::ParseError);
  CHECK_THROWS_AS(ParseTextFormat("# TYPE a gauge\n# TYPE a counter\na 1\n"),
                  common::ParseError);
  CHECK_THROWS_AS(ParseTextFormat("# TYPE a bogus\n"), common::ParseError);
  CHECK_THROWS_AS(ParseTextFormat("a{__x=\"1\"} 1\n"), common::ParseError);
  CHECK_THROWS_AS(ParseTextFormat("a{x=\"1\",x=\"2\"} 1\n"),
                  common::ParseError);
  CHECK(ParseTextFormat("").empty());
  CHECK(ParseTextFormat("# just a comment\n\n").empty());
}

TEST_CASE("TextfileCollector reads the fixture directory") {
  node_health::TextfileCollector c(
      {std::string(VIGIL_FIXTURES_DIR) + "/node_health/textfile"});
  auto text = test::Render(c);
  auto m = test::ParseSeries(text);
  CHECK(m.at("backup_last_success_timestamp_seconds{job=\"hourly\"}") ==
        1733094000);
  CHECK(m.at("backup_duration_seconds_bucket{job=\"nightly\",le=\"+Inf\"}") ==
        4);
  CHECK(m.at("backup_duration_seconds_sum{job=\"nightly\"}") == 1532.5);
  CHECK(m.at("health_check_ok{check=\"disk "
             "\\\"smart\\\"\",path=\"C:\\\\data\"}") == 1);
  CHECK(m.at("untyped_metric_without_help") == 42);
  CHECK(m.at("node_textfile_scrape_error") == 0);
  CHECK(text.find(
            "# TYPE backup_duration_seconds histogram\n"
            "backup_duration_seconds_bucket{job=\"nightly\",le=\"60\"} 1\n") !=
        std::string::npos);
  CHECK(text.find("# HELP untyped_metric_without_help Metric read from ") !=
        std::string::npos);
}

TEST_CASE("a broken file sets scrape_error and drops only that file") {
  std::string fixtures = std::string(VIGIL_FIXTURES_DIR) + "/node_health/";
  node_health::TextfileCollector c(
      {fixtures + "textfile_bad", fixtures + "textfile"});
  auto m = test::Collect(c);
  CHECK(m.at("node_textfile_scrape_error") == 1);
  CHECK(m.count("ok_metric") == 0);
  CHECK(m.at("untyped_metric_without_help") == 42);
}

TEST_CASE("a missing directory is an error, not a failure") {
  node_health::TextfileCollector c({"/nonexistent/vigil/textfile"});
  auto m = test::Collect(c);
  CHECK(m.at("node_textfile_scrape_error") == 1);
}

TEST_SUITE_END();
