#include "meminfo_collector.h"

#include <doctest/doctest.h>

#include "common/file_util.h"
#include "scratch_tree.h"
#include "test_util.h"

using node_health::MeminfoCollector;
using node_health::MeminfoMetricName;
using node_health::ParseMeminfo;

TEST_SUITE_BEGIN("node_health::meminfo");

TEST_CASE("ParseMeminfo converts kB to bytes and keeps unitless counts") {
  auto f = ParseMeminfo(
      "MemTotal:       16316412 kB\n"
      "Active(anon):    3914428 kB\n"
      "HugePages_Total:      16\n"
      "VmallocTotal:   34359738367 kB\n");
  REQUIRE(f.size() == 4);
  CHECK(f[0].name == "MemTotal");
  CHECK(f[0].value == 16316412.0 * 1024);
  CHECK(f[0].bytes);
  CHECK(f[1].name == "Active(anon)");
  CHECK(f[1].value == 3914428.0 * 1024);
  CHECK(f[2].name == "HugePages_Total");
  CHECK(f[2].value == 16);
  CHECK_FALSE(f[2].bytes);
  CHECK(f[3].value == 34359738367.0 * 1024);
}

TEST_CASE("ParseMeminfo accepts huge values and a missing final newline") {
  auto f = ParseMeminfo("Big: 18446744073709551615\nLast: 1 kB");
  REQUIRE(f.size() == 2);
  CHECK(f[0].value == 18446744073709551615.0);
  CHECK(f[1].value == 1024);
}

TEST_CASE("ParseMeminfo rejects empty and malformed input") {
  CHECK_THROWS_AS(ParseMeminfo(""), common::ParseError);
  CHECK_THROWS_AS(ParseMeminfo("\n\n"), common::ParseError);
  CHECK_THROWS_AS(ParseMeminfo("MemTotal:\n"), common::ParseError);
  CHECK_THROWS_AS(ParseMeminfo("MemTotal 12 kB\n"), common::ParseError);
  CHECK_THROWS_AS(ParseMeminfo("MemTotal: x kB\n"), common::ParseError);
  CHECK_THROWS_AS(ParseMeminfo("MemTotal: -1 kB\n"), common::ParseError);
  CHECK_THROWS_AS(ParseMeminfo("MemTotal: 12 MB\n"), common::ParseError);
  CHECK_THROWS_AS(ParseMeminfo("MemTotal: 12 kB extra\n"), common::ParseError);
  CHECK_THROWS_AS(ParseMeminfo(": 12 kB\n"), common::ParseError);
}

TEST_CASE("MeminfoMetricName follows node_exporter") {
  CHECK(MeminfoMetricName("MemTotal", true) == "node_memory_MemTotal_bytes");
  CHECK(MeminfoMetricName("Active(anon)", true) ==
        "node_memory_Active_anon_bytes");
  CHECK(MeminfoMetricName("Inactive(file)", true) ==
        "node_memory_Inactive_file_bytes");
  CHECK(MeminfoMetricName("HugePages_Total", false) ==
        "node_memory_HugePages_Total");
  CHECK(MeminfoMetricName("Odd-Name", false) == "node_memory_Odd_Name");
}

TEST_CASE("MeminfoCollector on the fixture tree") {
  MeminfoCollector c(test::FixturePaths());
  auto m = test::Collect(c);
  CHECK(m.at("node_memory_MemTotal_bytes") == 16316412.0 * 1024);
  CHECK(m.at("node_memory_MemAvailable_bytes") == 9830252.0 * 1024);
  CHECK(m.at("node_memory_Active_anon_bytes") == 3914428.0 * 1024);
  CHECK(m.at("node_memory_Inactive_file_bytes") == 4750500.0 * 1024);
  CHECK(m.at("node_memory_HugePages_Total") == 16);
  CHECK(m.at("node_memory_HugePages_Free") == 12);
  CHECK(m.at("node_memory_HugePages_Rsvd") == 2);
  CHECK(m.at("node_memory_HugePages_Surp") == 0);
  CHECK(m.at("node_memory_Hugepagesize_bytes") == 2097152);
  CHECK(m.at("node_memory_VmallocTotal_bytes") == 34359738367.0 * 1024);
  CHECK(m.size() == 55);

  // Descs are cached: a second scrape gives the same text.
  std::string first = test::Render(c);
  CHECK(test::Render(c) == first);
  CHECK(first.find("# HELP node_memory_Active_anon_bytes Memory information "
                   "field Active_anon_bytes.\n"
                   "# TYPE node_memory_Active_anon_bytes gauge\n") !=
        std::string::npos);
  CHECK(first.find("# HELP node_memory_HugePages_Total Memory information "
                   "field HugePages_Total.\n") != std::string::npos);
}

TEST_CASE("MeminfoCollector fails on an empty file and follows new fields") {
  test::ScratchTree tree;
  MeminfoCollector c(tree.paths());
  tree.Write("proc/meminfo", "");
  CHECK_THROWS_AS(test::Collect(c), common::ParseError);
  tree.Write("proc/meminfo", "MemTotal: 1 kB\n");
  CHECK(test::Collect(c).at("node_memory_MemTotal_bytes") == 1024);
  tree.Write("proc/meminfo", "MemTotal: 2 kB\nNewField: 3 kB\n");
  auto m = test::Collect(c);
  CHECK(m.at("node_memory_MemTotal_bytes") == 2048);
  CHECK(m.at("node_memory_NewField_bytes") == 3072);
  CHECK(m.size() == 2);
}

TEST_SUITE_END();
