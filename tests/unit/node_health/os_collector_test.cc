#include "os_collector.h"

#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "common/file_util.h"
#include "scratch_tree.h"
#include "test_util.h"

TEST_SUITE_BEGIN("node_health::os");

TEST_CASE("ParseOsRelease reads quoted, unquoted and escaped values") {
  auto env = node_health::ParseOsRelease(
      "# a comment\n"
      "\n"
      "NAME=\"Ubuntu\"\n"
      "VERSION='22.04.3 LTS (Jammy Jellyfish)'\n"
      "  ID=ubuntu   # trailing comment\n"
      "ID_LIKE=debian\n"
      "PRETTY_NAME=\"Say \\\"hi\\\" \\\\ \\$HOME \\`x\\` \\n\"\n"
      "export VARIANT=Server\\ Edition\n"
      "EMPTY=\n"
      "MIXED=\"a b\"'c d'e\n"
      "MULTI=\"line one\n"
      "line two\"\n"
      "ANSI_COLOR=\"0;38;2;60;110;180\"\n"
      "LAST=1");
  CHECK(env.at("NAME") == "Ubuntu");
  CHECK(env.at("VERSION") == "22.04.3 LTS (Jammy Jellyfish)");
  CHECK(env.at("ID") == "ubuntu");
  CHECK(env.at("ID_LIKE") == "debian");
  CHECK(env.at("PRETTY_NAME") == "Say \"hi\" \\ $HOME `x` \\n");
  CHECK(env.at("VARIANT") == "Server Edition");
  CHECK(env.at("EMPTY").empty());
  CHECK(env.at("MIXED") == "a bc de");
  CHECK(env.at("MULTI") == "line one\nline two");
  CHECK(env.at("ANSI_COLOR") == "0;38;2;60;110;180");
  CHECK(env.at("LAST") == "1");
  CHECK(env.size() == 11);
}

TEST_CASE("ParseOsRelease rejects malformed assignments") {
  CHECK_THROWS_AS(node_health::ParseOsRelease("NAME\n"), common::ParseError);
  CHECK_THROWS_AS(node_health::ParseOsRelease("NAME=\"Debian\n"),
                  common::ParseError);
  CHECK_THROWS_AS(node_health::ParseOsRelease("NAME='Debian\n"),
                  common::ParseError);
  CHECK_THROWS_AS(node_health::ParseOsRelease("NAME=Debian GNU\n"),
                  common::ParseError);
  CHECK_THROWS_AS(node_health::ParseOsRelease("1NAME=x\n"), common::ParseError);
  CHECK_THROWS_AS(node_health::ParseOsRelease("NAME =x\n"), common::ParseError);
  try {
    node_health::ParseOsRelease("ID=debian\n\nNAME=\"x\" y\n");
    FAIL("no exception");
  } catch (const common::ParseError& e) {
    CHECK(std::string(e.what()).find("line 3") != std::string::npos);
  }
}

TEST_CASE("ParseOsVersion keeps major.minor") {
  CHECK(node_health::ParseOsVersion("12") == 12.0);
  CHECK(node_health::ParseOsVersion("22.04") == 22.04);
  CHECK(node_health::ParseOsVersion("3.18.4") == 3.18);
  CHECK(node_health::ParseOsVersion("7.") == 7.0);
  CHECK(node_health::ParseOsVersion("2023.1.20230912") == 2023.1);
  CHECK_FALSE(node_health::ParseOsVersion("").has_value());
  CHECK_FALSE(node_health::ParseOsVersion("rolling").has_value());
  CHECK_FALSE(node_health::ParseOsVersion(".5").has_value());
}

TEST_CASE("ParseSupportEnd gives midnight UTC") {
  CHECK(node_health::ParseSupportEnd("1970-01-01") == 0);
  CHECK(node_health::ParseSupportEnd("2028-06-30") == 1845936000);
  CHECK(node_health::ParseSupportEnd("2024-02-29") == 1709164800);
  CHECK_THROWS_AS(node_health::ParseSupportEnd("2023-02-29"),
                  common::ParseError);
  CHECK_THROWS_AS(node_health::ParseSupportEnd("2028-13-01"),
                  common::ParseError);
  CHECK_THROWS_AS(node_health::ParseSupportEnd("2028-6-30"),
                  common::ParseError);
  CHECK_THROWS_AS(node_health::ParseSupportEnd("soon"), common::ParseError);
}

TEST_CASE("OsCollector on the fixture tree (Debian 12)") {
  node_health::OsCollector c(test::FixturePaths());
  auto m = test::Collect(c);
  REQUIRE(m.size() == 2);
  CHECK(
      m.at(
          "node_os_info{build_id=\"\",id=\"debian\",id_like=\"\",image_id=\"\","
          "image_version=\"\",name=\"Debian GNU/Linux\","
          "pretty_name=\"Debian GNU/Linux 12 "
          "(bookworm)\",variant=\"\",variant_id=\"\","
          "version=\"12 "
          "(bookworm)\",version_codename=\"bookworm\",version_id=\"12\"}") ==
      1);
  CHECK(m.at("node_os_version{id=\"debian\",id_like=\"\",name=\"Debian "
             "GNU/Linux\"}") == 12);
}

TEST_CASE(
    "OsCollector falls back to /usr/lib/os-release, then reports no data") {
  namespace fs = std::filesystem;
  fs::path root =
      fs::temp_directory_path() / ("os_test_" + std::to_string(getpid()));
  fs::create_directories(root / "usr/lib");
  {
    std::ofstream f(root / "usr/lib/os-release");
    f << "NAME=\"Ubuntu\"\nID=ubuntu\nID_LIKE=debian\nVERSION_ID=\"22.04\"\n"
         "SUPPORT_END=2027-04-30\n";
  }
  common::Paths paths = test::FixturePaths();
  paths.rootfs = root.string();
  node_health::OsCollector c(paths);
  auto m = test::Collect(c);
  CHECK(m.at("node_os_version{id=\"ubuntu\",id_like=\"debian\",name="
             "\"Ubuntu\"}") == 22.04);
  CHECK(m.at("node_os_support_end_timestamp_seconds") == 1809043200);

  fs::remove(root / "usr/lib/os-release");
  CHECK_THROWS_AS(test::Collect(c), common::NoDataError);
  fs::remove_all(root);
}

TEST_CASE("OsCollector parses os-release again when it changes") {
  test::ScratchTree tree;
  tree.Write("rootfs/etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n");
  node_health::OsCollector c(tree.paths());
  auto m = test::Collect(c);
  CHECK(m.at("node_os_version{id=\"debian\",id_like=\"\",name=\"\"}") == 12);
  // An upgrade rewrites the file (new size, new inode).
  tree.Remove("rootfs/etc/os-release");
  tree.Write("rootfs/etc/os-release",
             "ID=debian\nVERSION_ID=\"13.1\"\nNAME=Debian\n");
  m = test::Collect(c);
  CHECK(m.at("node_os_version{id=\"debian\",id_like=\"\",name=\"Debian\"}") ==
        13.1);
  tree.Remove("rootfs/etc/os-release");
  CHECK_THROWS_AS(test::Collect(c), common::NoDataError);
}

TEST_SUITE_END();
