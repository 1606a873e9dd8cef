#include "common/file_util.h"

#include <doctest/doctest.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <thread>
#include <vector>

TEST_SUITE_BEGIN("common::file_util");

TEST_CASE("ReadFile reads procfs files again, fresh each time") {
  // /proc/self/stat changes between reads (utime, at least the state); a kept
  // descriptor must still give whole, current content.
  std::string a = common::ReadFile("/proc/self/stat");
  std::string b = common::ReadFile("/proc/self/stat");
  CHECK(a.find(") ") != std::string::npos);
  CHECK(b.find(") ") != std::string::npos);
  // A read through the kept descriptor sees what changed since the last
  // one: resident memory after touching 64 MB.
  auto rss_kb = [] {
    std::string status = common::ReadFile("/proc/self/status");
    size_t at = status.find("VmRSS:");
    REQUIRE(at != std::string::npos);
    return std::stol(status.substr(at + 6));
  };
  long before = rss_kb();
  std::vector<char> touched(64 << 20, 1);  // 64 MB, every page written
  long after = rss_kb();
  CHECK(touched.back() == 1);
  CHECK(after - before >= 60 * 1024);
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

TEST_CASE("NextField walks fields separated by runs of spaces and tabs") {
  std::string_view s = " \tab  c\t\td ";
  size_t pos = 0;
  CHECK(common::NextField(s, pos) == "ab");
  CHECK(common::NextField(s, pos) == "c");
  CHECK(common::NextField(s, pos) == "d");
  CHECK(common::NextField(s, pos).empty());
  CHECK(pos == s.size());
  pos = 0;
  CHECK(common::NextField("", pos).empty());
  CHECK(common::Trim(" \r\n\tx y\n ") == "x y");
  CHECK(common::Trim(" \n\t").empty());
}

TEST_CASE("Quote makes any input one printable, bounded line") {
  CHECK(common::Quote("abc") == "\"abc\"");
  CHECK(common::Quote("a\"b\\c") == "\"a\\\"b\\\\c\"");
  CHECK(common::Quote(std::string_view("x\0y\n\t\x7f", 6)) ==
        "\"x\\x00y\\x0a\\x09\\x7f\"");
  CHECK(common::Quote(std::string(100, 'z')) ==
        "\"" + std::string(64, 'z') + "...\"");
  CHECK(common::Quote("") == "\"\"");
}

TEST_CASE("MountTableFile reads a plain file every time") {
  char path[] = "/tmp/vigil_mounts_XXXXXX";
  int fd = ::mkstemp(path);
  REQUIRE(fd >= 0);
  REQUIRE(::write(fd, "a\n", 2) == 2);
  common::MountTableFile f(path);
  std::string out;
  CHECK(f.ReadIfChanged(out));
  CHECK(out == "a\n");
  REQUIRE(::pwrite(fd, "b\n", 2, 0) == 2);
  CHECK(f.ReadIfChanged(out));
  CHECK(out == "b\n");
  ::close(fd);
  ::unlink(path);
  CHECK_THROWS_AS(f.ReadIfChanged(out), common::FileError);
}

namespace {

// In a child in a mount namespace of its own: whether MountTableFile on its
// /proc/self/mountinfo reads again exactly when a mount comes and goes.
// Returns the child's exit status: 0 passed, 77 no privilege, else the step
// that failed.
int MountWatchChild(const std::string& dir) {
  if (::unshare(CLONE_NEWNS) != 0) return 77;
  if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
    return 77;
  common::MountTableFile f("/proc/self/mountinfo");
  std::string out = "untouched";
  if (!f.ReadIfChanged(out) || out.find(" / ") == std::string::npos) return 1;
  out = "untouched";
  if (f.ReadIfChanged(out) || out != "untouched") return 2;
  if (::mount("vigiltest", dir.c_str(), "tmpfs", 0, "size=1m") != 0) return 77;
  if (!f.ReadIfChanged(out) || out.find(" " + dir + " ") == std::string::npos)
    return 3;
  if (f.ReadIfChanged(out)) return 4;
  // A remount (read-only) is a change too.
  if (::mount(nullptr, dir.c_str(), nullptr, MS_REMOUNT | MS_RDONLY, nullptr) !=
      0)
    return 5;
  if (!f.ReadIfChanged(out)) return 6;
  if (::umount(dir.c_str()) != 0) return 7;
  if (!f.ReadIfChanged(out) || out.find(" " + dir + " ") != std::string::npos)
    return 8;
  if (f.ReadIfChanged(out)) return 9;
  return 0;
}

}  // namespace

TEST_CASE("MountTableFile rereads /proc mountinfo only after a mount change") {
  char dir[] = "/tmp/vigil_mountpoint_XXXXXX";
  REQUIRE(::mkdtemp(dir) != nullptr);
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) ::_exit(MountWatchChild(dir));
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  ::rmdir(dir);
  REQUIRE(WIFEXITED(status));
  if (WEXITSTATUS(status) == 77) {
    MESSAGE("skipped: no privilege to make a mount namespace");
    return;
  }
  CHECK(WEXITSTATUS(status) == 0);
}

TEST_SUITE_END();
