#include "common/process_collector.h"

#include <dirent.h>
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "../test_util.h"

TEST_SUITE_BEGIN("common::process_collector");

namespace {

// Open descriptors of this process, counted the slow way: by listing
// /proc/self/fd, minus the listing's own descriptor.
double CountOpenFds() {
  DIR* d = opendir("/proc/self/fd");
  REQUIRE(d != nullptr);
  double n = 0;
  while (dirent* e = readdir(d)) {
    if (e->d_name[0] != '.') ++n;
  }
  closedir(d);
  return n - 1;
}

}  // namespace

TEST_CASE("ParseProcStat takes fields after the last ')' of the command") {
  // comm "a) (b" holds ") " itself; fields 14, 15, 22, 23 and 24 are utime,
  // stime, starttime, vsize and rss.
  std::string text =
      "4242 (a) (b) S 1 4242 4242 0 -1 4194560 100 0 0 0 1234 567 0 0 20 0 "
      "3 0 98765 10485760 2560 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 "
      "17 1 0 0 0 0 0\n";
  common::ProcStat s = common::ParseProcStat(text);
  CHECK(s.utime_ticks == 1234);
  CHECK(s.stime_ticks == 567);
  CHECK(s.start_ticks == 98765);
  CHECK(s.vsize_bytes == 10485760);
  CHECK(s.rss_pages == 2560);
  CHECK_THROWS_AS(common::ParseProcStat("4242 (x S 1 2"), common::ParseError);
  CHECK_THROWS_AS(common::ParseProcStat("4242 (x) S 1 2 3"),
                  common::ParseError);
  CHECK_THROWS_AS(
      common::ParseProcStat("1 (x) S 1 1 1 0 -1 0 0 0 0 0 ten 5 0 0 20 0 1 "
                            "0 9 10 11 0"),
      common::ParseError);
}

TEST_CASE("process_open_fds counts this process's descriptors, exactly") {
  common::ProcessCollector c;
  double before = test::Collect(c).at("process_open_fds");
  CHECK(before == CountOpenFds());
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  int null = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  REQUIRE(null >= 0);
  CHECK(test::Collect(c).at("process_open_fds") == before + 3);
  ::close(fds[0]);
  ::close(fds[1]);
  ::close(null);
  CHECK(test::Collect(c).at("process_open_fds") == before);
}

TEST_CASE("process_max_fds is the soft RLIMIT_NOFILE; memory is non-zero") {
  rlimit rl{};
  REQUIRE(::getrlimit(RLIMIT_NOFILE, &rl) == 0);
  common::ProcessCollector c;
  auto m = test::Collect(c);
  CHECK(m.at("process_max_fds") == static_cast<double>(rl.rlim_cur));
  CHECK(m.at("process_resident_memory_bytes") > 0);
  CHECK(m.at("process_virtual_memory_bytes") >=
        m.at("process_resident_memory_bytes"));
  // Started after the machine booted and not in the future.
  CHECK(m.at("process_start_time_seconds") > 1e9);
  CHECK(m.at("process_start_time_seconds") <=
        static_cast<double>(::time(nullptr)) + 1);
}

TEST_SUITE_END();
