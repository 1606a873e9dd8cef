#include "common/file_util.h"

#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <thread>

TEST_SUITE_BEGIN("common::file_util");

TEST_CASE("ReadFile reads procfs files again, fresh each time") {
  // /proc/self/stat changes between reads (utime, at least the state); a kept
  // descriptor must still give whole, current content.
  std::string a = common::ReadFile("/proc/self/stat");
  std::string b = common::ReadFile("/proc/self/stat");
  CHECK(a.find(") ") != std::string::npos);
  CHECK(b.find(") ") != std::string::npos);
  CHECK(common::ReadFile("/proc/self/status").find("Name:") == 0);
  // A file larger than one page comes whole on every read, kept or not
  // (seq_file returns about a page per read call).
  std::string first = common::ReadFile("/proc/self/smaps");
  std::string second = common::ReadFile("/proc/self/smaps");
  REQUIRE(first.size() > 8192);
  CHECK(second.size() > 8192);
  CHECK(second.find("VmFlags") != std::string::npos);
  CHECK(second.rfind("VmFlags") > second.size() - 200);
}

TEST_CASE("ReadFile sees a replaced regular file, and reads FIFOs") {
  char dir[] = "/tmp/vigil-fileutil-XXXXXX";
  REQUIRE(mkdtemp(dir) != nullptr);
  std::string path = std::string(dir) + "/f";
  { std::ofstream(path) << "one"; }
  CHECK(common::ReadFile(path) == "one");
  { std::ofstream(path + ".new") << "two!"; }
  REQUIRE(std::rename((path + ".new").c_str(), path.c_str()) == 0);
  CHECK(common::ReadFile(path) == "two!");

  std::string fifo = std::string(dir) + "/pipe";
  REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
  std::thread writer([&] { std::ofstream(fifo) << "through a fifo"; });
  CHECK(common::ReadFile(fifo) == "through a fifo");
  writer.join();

  CHECK_FALSE(
      common::ReadOptionalFile(std::string(dir) + "/absent").has_value());
  CHECK_THROWS_AS(common::ReadFile(std::string(dir) + "/absent"),
                  common::FileError);
  std::remove(fifo.c_str());
  std::remove(path.c_str());
  rmdir(dir);
}

TEST_CASE("number parsing: the full u64 range, and clear errors") {
  CHECK(common::ParseUint64("18446744073709551615", "x") ==
        18446744073709551615ull);
  CHECK_THROWS_WITH_AS(
      common::ParseUint64("18446744073709551616", "stat ctxt"),
      "stat ctxt: expected an unsigned integer, got \"18446744073709551616\"",
      common::ParseError);
  CHECK_THROWS_AS(common::ParseUint64("-1", "x"), common::ParseError);
  CHECK_THROWS_AS(common::ParseUint64("", "x"), common::ParseError);
  CHECK(common::ParseInt64("-1", "x") == -1);
  CHECK(common::ParseDouble("+Inf", "x") > 1e308);
  CHECK(common::ParseDouble("-2.5e3", "x") == -2500);
  CHECK_THROWS_AS(common::ParseDouble("1.2.3", "x"), common::ParseError);
  CHECK(common::SplitFields("  a \tb  c ") ==
        std::vector<std::string_view>{"a", "b", "c"});
}

TEST_SUITE_END();
