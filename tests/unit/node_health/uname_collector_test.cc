#include "uname_collector.h"

#include <doctest/doctest.h>

#include <cstring>

#include "common/file_util.h"
#include "test_util.h"

TEST_SUITE_BEGIN("node_health::uname");

TEST_CASE("FillFromUtsname fills only the empty fields") {
  struct utsname uts;
  std::memset(&uts, 0, sizeof(uts));
  std::strcpy(uts.sysname, "Linux");
  std::strcpy(uts.release, "5.15.0");
  std::strcpy(uts.version, "#1 SMP");
  std::strcpy(uts.machine, "aarch64");
  std::strcpy(uts.nodename, "from-syscall");
  std::strcpy(uts.domainname, "(none)");
  node_health::UnameInfo info;
  info.nodename = "from-file";
  node_health::FillFromUtsname(info, uts);
  CHECK(info.sysname == "Linux");
  CHECK(info.release == "5.15.0");
  CHECK(info.version == "#1 SMP");
  CHECK(info.machine == "aarch64");
  CHECK(info.nodename == "from-file");
  CHECK(info.domainname == "(none)");
}

TEST_CASE("ReadUnameFiles reads the fixture tree") {
  auto info = node_health::ReadUnameFiles(test::FixturePaths());
  CHECK(info.sysname == "Linux");
  CHECK(info.release == "6.1.0-18-amd64");
  CHECK(info.version == "#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)");
  CHECK(info.machine == "x86_64");
  CHECK(info.nodename == "web-07");
  CHECK(info.domainname == "(none)");
}

TEST_CASE("UnameCollector on the fixture tree") {
  node_health::UnameCollector c(test::FixturePaths());
  auto m = test::Collect(c);
  REQUIRE(m.size() == 1);
  CHECK(m.at("node_uname_info{sysname=\"Linux\",release=\"6.1.0-18-amd64\","
             "version=\"#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)\","
             "machine=\"x86_64\",nodename=\"web-07\",domainname=\"(none)\"}") ==
        1);
}

TEST_CASE("UnameCollector falls back to uname(2) without the procfs files") {
  auto paths = test::FixturePaths();
  paths.procfs += "/does-not-exist";
  node_health::UnameCollector c(paths);
  auto m = test::Collect(c);
  REQUIRE(m.size() == 1);
  struct utsname uts;
  REQUIRE(::uname(&uts) == 0);
  std::string want = std::string("node_uname_info{sysname=\"") + uts.sysname +
                     "\",release=\"" + uts.release + "\",version=\"" +
                     uts.version + "\",machine=\"" + uts.machine +
                     "\",nodename=\"" + uts.nodename + "\",domainname=\"" +
                     uts.domainname + "\"}";
  CHECK(m.count(want) == 1);
}

TEST_SUITE_END();
