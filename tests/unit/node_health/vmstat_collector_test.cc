#include "vmstat_collector.h"

#include <doctest/doctest.h>

#include <CLI/CLI.hpp>
#include <stdexcept>

#include "common/file_util.h"
#include "scratch_tree.h"
#include "test_util.h"

using node_health::ParseVmstat;
using node_health::VmstatCollector;

TEST_SUITE_BEGIN("node_health::vmstat");

TEST_CASE("ParseVmstat reads name value lines, signed and huge values") {
  auto f = ParseVmstat(
      "nr_free_pages 511536\n"
      "nr_zone_write_pending -3\n"
      "pgfault 18446744073709551615\n"
      "oom_kill 2");
  REQUIRE(f.size() == 4);
  CHECK(f[0].name == "nr_free_pages");
  CHECK(f[0].value == 511536);
  CHECK(f[1].value == -3);
  CHECK(f[2].name == "pgfault");
  CHECK(f[2].value == 18446744073709551615.0);
  CHECK(f[3].name == "oom_kill");
  CHECK(f[3].value == 2);
}

TEST_CASE("ParseVmstat rejects malformed lines") {
  CHECK_THROWS_AS(ParseVmstat("pgfault\n"), common::ParseError);
  CHECK_THROWS_AS(ParseVmstat("pgfault 1 2\n"), common::ParseError);
  CHECK_THROWS_AS(ParseVmstat("pgfault x\n"), common::ParseError);
  CHECK_THROWS_AS(ParseVmstat("pgfault 1.5\n"), common::ParseError);
  CHECK(ParseVmstat("").empty());
}

TEST_CASE("VmstatCollector on the fixture tree with the default fields") {
  VmstatCollector c(test::FixturePaths(),
                    std::string(node_health::kDefaultVmstatFields));
  auto m = test::Collect(c);
  CHECK(m.at("node_vmstat_pgfault") == 2893456712);
  CHECK(m.at("node_vmstat_pgmajfault") == 123456);
  CHECK(m.at("node_vmstat_pgpgin") == 31245670);
  CHECK(m.at("node_vmstat_pgpgout") == 187654321);
  CHECK(m.at("node_vmstat_pswpin") == 1204);
  CHECK(m.at("node_vmstat_pswpout") == 11098);
  CHECK(m.at("node_vmstat_oom_kill") == 2);
  CHECK(m.size() == 7);
  CHECK(m.count("node_vmstat_nr_free_pages") == 0);
  CHECK(m.count("node_vmstat_thp_fault_alloc") == 0);

  std::string text = test::Render(c);
  CHECK(text == test::Render(c));
  CHECK(text.find("# HELP node_vmstat_pgfault /proc/vmstat information field "
                  "pgfault.\n# TYPE node_vmstat_pgfault untyped\n") !=
        std::string::npos);
}

TEST_CASE("VmstatCollector with other fields") {
  VmstatCollector only_free(test::FixturePaths(), "^nr_free");
  auto m = test::Collect(only_free);
  CHECK(m.size() == 2);
  CHECK(m.at("node_vmstat_nr_free_pages") == 511536);
  CHECK(m.at("node_vmstat_nr_free_cma") == 0);

  VmstatCollector all(test::FixturePaths(), "");
  CHECK(test::Collect(all).size() == 59);
}

TEST_CASE("VmstatCollector rejects a bad regex naming the flag") {
  try {
    VmstatCollector c(test::FixturePaths(), "(pg");
    FAIL("no exception");
  } catch (const std::invalid_argument& e) {
    std::string msg = e.what();
    CHECK(msg.find("--collector.vmstat.fields:") != std::string::npos);
    CHECK(msg.find("-include") == std::string::npos);
  }
}

TEST_CASE("VmstatCollector fails on a corrupt file") {
  test::ScratchTree tree;
  tree.Write("proc/vmstat", "pgfault 1\npgmajfault\n");
  VmstatCollector c(tree.paths(),
                    std::string(node_health::kDefaultVmstatFields));
  CHECK_THROWS_AS(test::Collect(c), common::ParseError);
}

TEST_CASE("VmstatSpec flag --collector.vmstat.fields") {
  auto spec = node_health::VmstatSpec();
  CHECK(spec.name == "vmstat");
  CLI::App app;
  spec.add_flags(app);
  std::vector<std::string> argv = {"--collector.vmstat.fields=^pswp"};
  app.parse(argv);
  common::Paths paths = test::FixturePaths();
  auto c = spec.factory(common::CollectorContext{paths});
  auto m = test::Collect(*c);
  CHECK(m.size() == 2);
  CHECK(m.at("node_vmstat_pswpout") == 11098);

  auto bad = node_health::VmstatSpec();
  CLI::App app2;
  bad.add_flags(app2);
  std::vector<std::string> argv2 = {"--collector.vmstat.fields=["};
  app2.parse(argv2);
  CHECK_THROWS_AS(bad.factory(common::CollectorContext{paths}),
                  std::invalid_argument);
}

TEST_SUITE_END();
