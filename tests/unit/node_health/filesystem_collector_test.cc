#include "filesystem_collector.h"

#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <thread>

#include "common/file_util.h"
#include "scratch_tree.h"
#include "test_util.h"

using node_health::ParseMountinfo;

TEST_SUITE_BEGIN("node_health::filesystem");

TEST_CASE("ParseMountinfo reads device, mount point, type and ro flag") {
  auto m = ParseMountinfo(
      "46 28 8:17 / /mnt/backup\\040disk ro,relatime shared:30 master:1 - xfs "
      "/dev/sdb1 rw\n"
      "28 1 259:2 / / rw,relatime - ext4 /dev/nvme0n1p2 "
      "rw,errors=remount-ro\n");
  REQUIRE(m.size() == 2);
  CHECK(m[0].mountpoint == "/mnt/backup disk");
  CHECK(m[0].device == "/dev/sdb1");
  CHECK(m[0].fstype == "xfs");
  CHECK(m[0].major == "8");
  CHECK(m[0].minor == "17");
  CHECK(m[0].readonly);
  CHECK(m[1].mountpoint == "/");
  CHECK_FALSE(m[1].readonly);
}

TEST_CASE("ParseMountinfo rejects truncated and malformed lines") {
  CHECK_THROWS_AS(ParseMountinfo("28 1 259:2 / / rw,relatime - ext4\n"),
                  common::ParseError);
  CHECK_THROWS_AS(ParseMountinfo("28 1 2592 / / rw - ext4 /dev/x rw\n"),
                  common::ParseError);
  CHECK_THROWS_AS(ParseMountinfo("28 1 a:b / / rw - ext4 /dev/x rw\n"),
                  common::ParseError);
  CHECK(ParseMountinfo("").empty());
}

TEST_CASE("ParseDuration takes Go-style durations") {
  using std::chrono::milliseconds;
  CHECK(node_health::ParseDuration("5s") == milliseconds(5000));
  CHECK(node_health::ParseDuration("500ms") == milliseconds(500));
  CHECK(node_health::ParseDuration("1m30s") == milliseconds(90000));
  CHECK(node_health::ParseDuration("2.5s") == milliseconds(2500));
  CHECK_THROWS_AS(node_health::ParseDuration("5"), std::invalid_argument);
  CHECK_THROWS_AS(node_health::ParseDuration("s"), std::invalid_argument);
  CHECK_THROWS_AS(node_health::ParseDuration("5d"), std::invalid_argument);
  CHECK_THROWS_AS(node_health::ParseDuration("99999999999999999999h"),
                  std::invalid_argument);
}

TEST_CASE(
    "FilesystemCollector on the fixture tree applies the default filters") {
  node_health::FilesystemOptions opts;
  node_health::FilesystemCollector c(test::FixturePaths(), opts);
  auto m = test::Collect(c);
  // /, /run exist under the fixture rootfs; /boot/efi, /mnt/backup disk and
  // /srv/nfs do not, so statfs fails for them with ENOENT.
  CHECK(
      m.count("node_filesystem_size_bytes{device=\"/dev/"
              "nvme0n1p2\",mountpoint=\"/\",fstype=\"ext4\","
              "device_error=\"\"}"));
  CHECK(m.at("node_filesystem_device_error{device=\"/dev/"
             "nvme0n1p2\",mountpoint=\"/\","
             "fstype=\"ext4\",device_error=\"\"}") == 0);
  CHECK(m.at("node_filesystem_device_error{device=\"/dev/"
             "nvme0n1p1\",mountpoint=\"/boot/efi\","
             "fstype=\"vfat\",device_error=\"No such file or directory\"}") ==
        1);
  CHECK(m.at("node_filesystem_readonly{device=\"/dev/nvme0n1p1\",mountpoint=\"/"
             "boot/efi\","
             "fstype=\"vfat\",device_error=\"No such file or directory\"}") ==
        1);
  CHECK(m.at("node_filesystem_mount_info{device=\"/dev/"
             "sdb1\",major=\"8\",minor=\"17\","
             "mountpoint=\"/mnt/backup disk\"}") == 1);
  // Excluded by mount point (/proc, /sys, /dev, docker) or type (cgroup2).
  for (const auto& [series, value] : m) {
    CHECK(series.find("mountpoint=\"/proc\"") == std::string::npos);
    CHECK(series.find("/var/lib/docker") == std::string::npos);
    CHECK(series.find("cgroup2") == std::string::npos);
  }
  CHECK(m.size() == 5 + 2 * 7 + 3 * 2);  // mount_info, full mounts, failed ones
}

TEST_CASE("include and exclude together are refused") {
  node_health::FilesystemOptions opts;
  opts.mount_points_include = "^/$";
  CHECK_THROWS_AS(node_health::FilesystemCollector(test::FixturePaths(), opts),
                  std::invalid_argument);
}

TEST_CASE("StatfsPool answers for real paths and errors") {
  node_health::StatfsPool pool(2, std::chrono::milliseconds(5000));
  auto r = pool.Run({"/", "/nonexistent-vigil-path"});
  REQUIRE(r.size() == 2);
  CHECK(r[0].state == node_health::StatfsPool::Result::State::kOk);
  CHECK(r[0].size > 0);
  CHECK(r[1].state == node_health::StatfsPool::Result::State::kError);
  CHECK(pool.StuckThreads() == 0);
}

TEST_CASE("a changed mount list is stat'ed in full on the next scrape") {
  test::ScratchTree tree;
  tree.Write("rootfs/a/.keep", "");
  tree.Write("rootfs/b/.keep", "");
  tree.Write("proc/1/mountinfo", "30 1 8:1 / /a rw - ext4 /dev/sda1 rw\n");
  node_health::FilesystemOptions opts;
  node_health::FilesystemCollector c(tree.paths(), opts);
  const std::string a =
      "node_filesystem_device_error{device=\"/dev/sda1\",mountpoint=\"/"
      "a\",fstype=\"ext4\",device_error=\"\"}";
  const std::string b =
      "node_filesystem_device_error{device=\"/dev/sdb1\",mountpoint=\"/"
      "b\",fstype=\"xfs\",device_error=\"\"}";
  // As CollectorSet scrapes: Begin starts statfs of the last scrape's mounts,
  // Update uses them when the list is unchanged.
  auto scrape = [&c] {
    common::MetricSink sink;
    c.Begin(sink);
    c.Update(sink);
    std::string out;
    sink.Finish(out);
    return test::ParseSeries(out);
  };
  // The series, with the values that do not move while the test runs (free
  // space and inodes of the real disk under the scratch tree do).
  auto stable = [](const std::map<std::string, double>& all) {
    std::map<std::string, double> out;
    for (const auto& [series, value] : all) {
      bool moves = series.starts_with("node_filesystem_free_bytes") ||
                   series.starts_with("node_filesystem_avail_bytes") ||
                   series.starts_with("node_filesystem_files_free");
      out[series] = moves ? 0 : value;
    }
    return out;
  };
  auto m = scrape();
  CHECK(m.at(a) == 0);
  CHECK(m.count(b) == 0);
  // The same list again, then a second mount appears, then the first goes.
  CHECK(stable(scrape()) == stable(m));
  CHECK(stable(test::Collect(c)) == stable(m));  // Update alone: the same
  tree.Write("proc/1/mountinfo",
             "30 1 8:1 / /a rw - ext4 /dev/sda1 rw\n31 1 8:17 / /b rw - xfs "
             "/dev/sdb1 rw\n");
  m = scrape();
  CHECK(m.at(a) == 0);
  CHECK(m.at(b) == 0);
  tree.Write("proc/1/mountinfo", "31 1 8:17 / /b rw - xfs /dev/sdb1 rw\n");
  m = scrape();
  CHECK(m.count(a) == 0);
  CHECK(m.at(b) == 0);
  // A Begin whose scrape never came to Update does not disturb later ones.
  {
    common::MetricSink abandoned;
    c.Begin(abandoned);
  }
  CHECK(stable(scrape()) == stable(m));
}

TEST_CASE("a batch begun a whole timeout ago is not used: statfs afresh") {
  test::ScratchTree tree;
  tree.Write("rootfs/a/.keep", "");
  tree.Write("proc/1/mountinfo", "30 1 8:1 / /a rw - ext4 /dev/sda1 rw\n");
  node_health::FilesystemOptions opts;
  opts.mount_timeout = "500ms";  // generous: a loaded machine must not time out
  node_health::FilesystemCollector c(tree.paths(), opts);
  const std::string ok =
      "node_filesystem_device_error{device=\"/dev/sda1\",mountpoint=\"/"
      "a\",fstype=\"ext4\",device_error=\"\"}";
  const std::string gone =
      "node_filesystem_device_error{device=\"/dev/sda1\",mountpoint=\"/"
      "a\",fstype=\"ext4\",device_error=\"No such file or directory\"}";
  CHECK(test::Collect(c).at(ok) == 0);  // now the collector knows /a
  common::MetricSink sink;
  c.Begin(sink);  // stats /a while it exists
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  std::filesystem::remove_all(tree.paths().rootfs + "/a");
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  c.Update(sink);
  std::string out;
  sink.Finish(out);
  auto m = test::ParseSeries(out);
  CHECK(m.count(ok) == 0);
  CHECK(m.at(gone) == 1);
}

TEST_SUITE_END();
