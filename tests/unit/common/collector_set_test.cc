#include "common/collector_set.h"

#include <doctest/doctest.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <stdexcept>

#include "test_util.h"

namespace {

// Begin and Update calls of every Fake, in order ("begin fake_good").
std::vector<std::string> events;

// A collector whose behaviour a test sets: add a sample, fail half-way, or
// report that its source is absent. Counts its calls.
struct Fake : common::Collector {
  enum class Mode { kOk, kFail, kNoData } mode = Mode::kOk;
  std::atomic<int>* calls;
  common::Desc desc;
  const common::MetricSink* begun = nullptr;
  Fake(Mode m, std::atomic<int>* c, std::string name)
      : mode(m),
        calls(c),
        desc(std::move(name), "Fake.", common::MetricType::kGauge) {}
  void Begin(common::MetricSink& sink) override {
    events.push_back("begin " + desc.name());
    begun = &sink;
  }
  void Update(common::MetricSink& sink) override {
    events.push_back(std::string(begun == &sink ? "update " : "unpaired ") +
                     desc.name());
    ++*calls;
    sink.Add(desc, 1);
    if (mode == Mode::kFail) throw std::runtime_error("broken source");
    if (mode == Mode::kNoData) throw common::NoDataError("no source here");
  }
};

common::CollectorSpec Spec(std::string name, Fake::Mode mode,
                           std::atomic<int>* calls, bool by_default = true) {
  return {.name = name,
          .enabled_by_default = by_default,
          .add_flags = nullptr,
          .factory = [name, mode, calls](const common::CollectorContext&) {
            return std::make_unique<Fake>(mode, calls, "fake_" + name);
          }};
}

struct Fixture {
  std::atomic<int> ok_calls{0}, fail_calls{0}, nodata_calls{0}, off_calls{0};
  common::CollectorSet set{"t"};
  common::Paths paths;
  Fixture(std::vector<const char*> args) {
    set.Register(Spec("good", Fake::Mode::kOk, &ok_calls));
    set.Register(Spec("bad", Fake::Mode::kFail, &fail_calls));
    set.Register(Spec("absent", Fake::Mode::kNoData, &nodata_calls));
    set.Register(Spec("off", Fake::Mode::kOk, &off_calls, false));
    CLI::App app;
    set.AddFlags(app);
    args.insert(args.begin(), "test");
    app.parse(static_cast<int>(args.size()), args.data());
    set.Start(common::CollectorContext{paths});
  }
  std::map<std::string, double> Scrape(const common::CollectorFilter& f = {}) {
    common::MetricSink sink;
    set.Collect(sink, f);
    std::string out;
    sink.Finish(out);
    return test::ParseSeries(out);
  }
};

}  // namespace

TEST_SUITE_BEGIN("common::CollectorSet");

TEST_CASE("success per collector; a failing one loses its samples only") {
  Fixture f({});
  auto m = f.Scrape();
  CHECK(m.at("t_scrape_collector_success{collector=\"good\"}") == 1);
  CHECK(m.at("t_scrape_collector_success{collector=\"bad\"}") == 0);
  CHECK(m.at("t_scrape_collector_success{collector=\"absent\"}") == 0);
  CHECK(m.count("t_scrape_collector_success{collector=\"off\"}") == 0);
  CHECK(m.at("fake_good") == 1);
  CHECK(m.count("fake_bad") == 0);
  CHECK(m.count("fake_absent") == 0);
  CHECK(m.count("t_scrape_collector_duration_seconds{collector=\"good\"}") ==
        1);
}

TEST_CASE("an absent source is not probed again on every scrape") {
  Fixture f({});
  f.Scrape();
  auto m = f.Scrape();
  f.Scrape();
  CHECK(f.nodata_calls == 1);
  CHECK(f.fail_calls == 3);  // a real failure is retried every scrape
  CHECK(m.at("t_scrape_collector_success{collector=\"absent\"}") == 0);
}

TEST_CASE("Begin runs for every collector of a scrape before any Update") {
  Fixture f({"--collector.off"});
  f.Scrape();  // "absent" reports no data: skipped, Begin too, for a while
  events.clear();
  f.Scrape({{}, {"off"}});
  CHECK(events == std::vector<std::string>{"begin fake_good", "begin fake_bad",
                                           "update fake_good",
                                           "update fake_bad"});
}

TEST_CASE("flags: --no-collector, --collector, --collector.disable-defaults") {
  Fixture a({"--no-collector.good", "--collector.off"});
  CHECK(a.set.EnabledNames() ==
        std::vector<std::string>{"bad", "absent", "off"});
  Fixture b({"--collector.disable-defaults", "--collector.good"});
  CHECK(b.set.EnabledNames() == std::vector<std::string>{"good"});
}

TEST_CASE(
    "collect[] and exclude[] choose collectors; unknown names are refused") {
  Fixture f({});
  auto m = f.Scrape({{"good"}, {}});
  CHECK(m.count("t_scrape_collector_success{collector=\"bad\"}") == 0);
  CHECK(m.at("fake_good") == 1);
  m = f.Scrape({{}, {"good"}});
  CHECK(m.count("fake_good") == 0);
  CHECK(m.count("t_scrape_collector_success{collector=\"bad\"}") == 1);
  CHECK_THROWS_AS(f.set.Validate({{"off"}, {}}), std::invalid_argument);
  CHECK_THROWS_AS(f.set.Validate({{"good"}, {"bad"}}), std::invalid_argument);
  CHECK_NOTHROW(f.set.Validate({{"good", "bad"}, {}}));
}

TEST_SUITE_END();
