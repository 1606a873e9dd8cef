#include "conntrack_collector.h"

#include <doctest/doctest.h>

#include "common/file_util.h"
#include "scratch_tree.h"
#include "test_util.h"

using node_health::ConntrackCollector;
using node_health::ParseConntrackStat;

TEST_SUITE_BEGIN("node_health::conntrack");

namespace {
// Index of each column in ConntrackStats.
enum {
  kFound,
  kInvalid,
  kIgnore,
  kInsert,
  kInsertFailed,
  kDrop,
  kEarlyDrop,
  kSearchRestart
};
}  // namespace

TEST_CASE("ParseConntrackStat sums hexadecimal columns over CPUs (6.x)") {
  auto s = ParseConntrackStat(
      "entries  clashres found new invalid ignore delete chainlength insert "
      "insert_failed drop early_drop icmp_error  expect_new expect_create "
      "expect_delete search_restart\n"
      "0000072a  00000003 0000001f 00000000 00000142 00002c01 00000000 "
      "00000000 00000000 00000001 00000000 00000000 00000007  00000000 "
      "00000000 00000000 0000000a\n"
      "0000072a  00000001 00000011 00000000 000000A0 00001e3d 00000000 "
      "00000000 00000004 00000000 00000002 00000003 00000003  00000000 "
      "00000000 00000000 ffffffff\n");
  CHECK(s[kFound] == 0x1f + 0x11);
  CHECK(s[kInvalid] == 0x142 + 0xa0);
  CHECK(s[kIgnore] == 0x2c01 + 0x1e3d);
  CHECK(s[kInsert] == 4);
  CHECK(s[kInsertFailed] == 1);
  CHECK(s[kDrop] == 2);
  CHECK(s[kEarlyDrop] == 3);
  CHECK(s[kSearchRestart] == 4294967305.0);  // 0xa + 0xffffffff: sums widen
}

TEST_CASE("ParseConntrackStat finds columns by name on older kernels") {
  // 4.x layout: "searched" where 6.x has "clashres", "delete_list" where it
  // has "chainlength"; and a header without search_restart.
  auto s = ParseConntrackStat(
      "entries  searched found new invalid ignore delete delete_list insert "
      "insert_failed drop early_drop icmp_error  expect_new expect_create "
      "expect_delete\n"
      "00000010  000000ff 00000005 00000001 00000002 00000003 00000000 "
      "00000000 00000006 00000007 00000008 00000009 00000000  00000000 "
      "00000000 00000000\n");
  CHECK(s[kFound] == 5);
  CHECK(s[kInvalid] == 2);
  CHECK(s[kIgnore] == 3);
  CHECK(s[kInsert] == 6);
  CHECK(s[kInsertFailed] == 7);
  CHECK(s[kDrop] == 8);
  CHECK(s[kEarlyDrop] == 9);
  CHECK_FALSE(s[kSearchRestart].has_value());
}

TEST_CASE("ParseConntrackStat rejects empty, ragged and non-hex input") {
  CHECK_THROWS_AS(ParseConntrackStat(""), common::ParseError);
  CHECK_THROWS_AS(ParseConntrackStat("entries found\n00000001\n"),
                  common::ParseError);
  CHECK_THROWS_AS(ParseConntrackStat("entries found\n00000001 0000000g\n"),
                  common::ParseError);
  CHECK_THROWS_AS(ParseConntrackStat("entries found\n00000001 -1\n"),
                  common::ParseError);
  // A header alone is valid: every sum is zero.
  CHECK(ParseConntrackStat("entries found\n")[kFound] == 0);
}

TEST_CASE("ConntrackCollector on the fixture tree") {
  ConntrackCollector c(test::FixturePaths());
  auto m = test::Collect(c);
  CHECK(m.at("node_nf_conntrack_entries") == 1834);
  CHECK(m.at("node_nf_conntrack_entries_limit") == 262144);
  CHECK(m.at("node_nf_conntrack_stat_found") == 61);
  CHECK(m.at("node_nf_conntrack_stat_invalid") == 661);
  CHECK(m.at("node_nf_conntrack_stat_ignore") == 31882);
  CHECK(m.at("node_nf_conntrack_stat_insert") == 0);
  CHECK(m.at("node_nf_conntrack_stat_insert_failed") == 1);
  CHECK(m.at("node_nf_conntrack_stat_drop") == 2);
  CHECK(m.at("node_nf_conntrack_stat_early_drop") == 1);
  CHECK(m.at("node_nf_conntrack_stat_search_restart") == 21);
  CHECK(m.size() == 10);
  CHECK(
      test::Render(c).find(
          "# HELP node_nf_conntrack_entries_limit Maximum size of connection "
          "tracking table.\n# TYPE node_nf_conntrack_entries_limit gauge\n") !=
      std::string::npos);
}

TEST_CASE("ConntrackCollector without the stat file, without conntrack") {
  test::ScratchTree tree;
  ConntrackCollector c(tree.paths());
  CHECK_THROWS_AS(test::Collect(c), common::NoDataError);

  tree.Write("proc/sys/net/netfilter/nf_conntrack_count", "7\n");
  CHECK_THROWS_AS(test::Collect(c), common::NoDataError);

  tree.Write("proc/sys/net/netfilter/nf_conntrack_max", "65536\n");
  auto m = test::Collect(c);
  CHECK(m.at("node_nf_conntrack_entries") == 7);
  CHECK(m.at("node_nf_conntrack_entries_limit") == 65536);
  CHECK(m.size() == 2);

  tree.Write("proc/sys/net/netfilter/nf_conntrack_count", "seven\n");
  CHECK_THROWS_AS(test::Collect(c), common::ParseError);
  tree.Write("proc/sys/net/netfilter/nf_conntrack_count", "7\n");
  tree.Write("proc/net/stat/nf_conntrack", "entries found\n1 2 3\n");
  CHECK_THROWS_AS(test::Collect(c), common::ParseError);
}

TEST_SUITE_END();
