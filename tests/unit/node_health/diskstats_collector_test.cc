#include "diskstats_collector.h"

#include <doctest/doctest.h>

#include "common/file_util.h"
#include "test_util.h"

TEST_SUITE_BEGIN("node_health::diskstats");

TEST_CASE("ParseDiskstats reads 14, 18 and 20 field lines") {
  auto lines = node_health::ParseDiskstats(
      "   8       0 sda 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17\n"
      " 259       0 nvme0n1 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15\n"
      "  11       0 sr0 5 0 40 2 0 0 0 0 0 2 2\n");
  REQUIRE(lines.size() == 3);
  CHECK(lines[0].major == 8);
  CHECK(lines[0].minor == 0);
  CHECK(lines[0].device == "sda");
  CHECK(lines[0].count == 17);
  CHECK(lines[0].stats[16] == 17);
  CHECK(lines[1].device == "nvme0n1");
  CHECK(lines[1].major == 259);
  CHECK(lines[1].count == 15);
  CHECK(lines[1].stats[14] == 15);
  CHECK(lines[2].count == 11);
  CHECK(lines[2].stats[2] == 40);
}

TEST_CASE(
    "ParseDiskstats ignores columns a newer kernel appends and blank lines") {
  auto lines = node_health::ParseDiskstats(
      "\n 252 16 vdb 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19\n\n");
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].count == 17);
  CHECK(lines[0].stats[16] == 17);
}

TEST_CASE("ParseDiskstats reads counters up to 2^64-1") {
  auto lines = node_health::ParseDiskstats(
      "8 0 sda 18446744073709551615 0 0 0 0 0 0 0 0 0 0\n");
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].stats[0] == 18446744073709551615ull);
}

TEST_CASE("ParseDiskstats rejects truncated lines and non-numbers") {
  CHECK_THROWS_AS(node_health::ParseDiskstats("8 0 sda 1 2 3 4 5 6 7 8 9 10\n"),
                  common::ParseError);
  CHECK_THROWS_AS(
      node_health::ParseDiskstats("8 0 sda 1 2 3 x 5 6 7 8 9 10 11\n"),
      common::ParseError);
  CHECK_THROWS_AS(
      node_health::ParseDiskstats("8 -1 sda 1 2 3 4 5 6 7 8 9 10 11\n"),
      common::ParseError);
  CHECK_THROWS_AS(node_health::ParseDiskstats(
                      "99999999999 0 sda 1 2 3 4 5 6 7 8 9 10 11\n"),
                  common::ParseError);
}

TEST_CASE("ParseUdevDiskInfo reads properties and falls back for the serial") {
  auto info = node_health::ParseUdevDiskInfo(
      "S:disk/by-id/x\nE:ID_PATH=pci-0000:00:17.0-ata-1\nE:ID_WWN=0x5002\n"
      "E:ID_MODEL=Some "
      "Model\nE:ID_SERIAL=LONG_SERIAL\nE:ID_SERIAL_SHORT=SHORT\n"
      "E:ID_REVISION=R1\nE:BROKEN\nV:1\n");
  CHECK(info.path == "pci-0000:00:17.0-ata-1");
  CHECK(info.wwn == "0x5002");
  CHECK(info.model == "Some Model");
  CHECK(info.serial == "SHORT");
  CHECK(info.revision == "R1");
  CHECK(node_health::ParseUdevDiskInfo("E:ID_SERIAL=virtio-1\n").serial ==
        "virtio-1");
  CHECK(node_health::ParseUdevDiskInfo(
            "E:ID_SERIAL_SHORT=S\nE:SCSI_IDENT_SERIAL=L\n")
            .serial == "L");
  CHECK(node_health::ParseUdevDiskInfo("").model.empty());
}

TEST_CASE("DiskstatsCollector on the fixture tree") {
  node_health::DiskstatsCollector c(test::FixturePaths(), {});
  auto m = test::Collect(c);
  // sda: kernel 5.5+ line with 20 fields.
  CHECK(m.at("node_disk_reads_completed_total{device=\"sda\"}") == 25354637);
  CHECK(m.at("node_disk_reads_merged_total{device=\"sda\"}") == 34367663);
  CHECK(m.at("node_disk_read_bytes_total{device=\"sda\"}") ==
        1003346126.0 * 512);
  CHECK(m.at("node_disk_read_time_seconds_total{device=\"sda\"}") ==
        doctest::Approx(18492.372));
  CHECK(m.at("node_disk_writes_completed_total{device=\"sda\"}") == 28444756);
  CHECK(m.at("node_disk_writes_merged_total{device=\"sda\"}") == 11134226);
  CHECK(m.at("node_disk_written_bytes_total{device=\"sda\"}") ==
        505697032.0 * 512);
  CHECK(m.at("node_disk_write_time_seconds_total{device=\"sda\"}") ==
        doctest::Approx(63877.960));
  CHECK(m.at("node_disk_io_now{device=\"sda\"}") == 0);
  CHECK(m.at("node_disk_io_time_seconds_total{device=\"sda\"}") ==
        doctest::Approx(9653.492));
  CHECK(m.at("node_disk_io_time_weighted_seconds_total{device=\"sda\"}") ==
        doctest::Approx(82621.804));
  CHECK(m.at("node_disk_discards_completed_total{device=\"sda\"}") == 2276);
  CHECK(m.at("node_disk_discards_merged_total{device=\"sda\"}") == 0);
  CHECK(m.at("node_disk_discarded_sectors_total{device=\"sda\"}") == 1234560);
  CHECK(m.at("node_disk_discard_time_seconds_total{device=\"sda\"}") ==
        doctest::Approx(0.123));
  CHECK(m.at("node_disk_flush_requests_total{device=\"sda\"}") == 6789);
  CHECK(m.at("node_disk_flush_requests_time_seconds_total{device=\"sda\"}") ==
        doctest::Approx(0.456));
  CHECK(m.at("node_disk_info{device=\"sda\",major=\"8\",minor=\"0\","
             "path=\"pci-0000:00:17.0-ata-1\",wwn=\"0x5002538e40a0eb2b\","
             "model=\"Samsung_SSD_860_EVO_500GB\",serial=\"S3Z1NB0K123456A\","
             "revision=\"RVT02B6Q\",rotational=\"0\"}") == 1);

  // nvme0n1: kernel 4.18 line with 18 fields, so discards but no flushes.
  CHECK(m.at("node_disk_io_now{device=\"nvme0n1\"}") == 1);
  CHECK(m.at("node_disk_discard_time_seconds_total{device=\"nvme0n1\"}") ==
        doctest::Approx(1.240));
  CHECK(m.count("node_disk_flush_requests_total{device=\"nvme0n1\"}") == 0);
  CHECK(m.at("node_disk_info{device=\"nvme0n1\",major=\"259\",minor=\"0\","
             "path=\"pci-0000:01:00.0-nvme-1\",wwn=\"eui.0025385791b12345\","
             "model=\"Samsung SSD 970 EVO Plus 1TB\",serial=\"S4EWNX0R123456\","
             "revision=\"2B2QEXM7\",rotational=\"\"}") == 1);

  // vdb: a 21st column is ignored; serial falls back to ID_SERIAL.
  CHECK(m.at("node_disk_flush_requests_total{device=\"vdb\"}") == 913);
  CHECK(m.at("node_disk_flush_requests_time_seconds_total{device=\"vdb\"}") ==
        doctest::Approx(2.384));
  CHECK(m.at("node_disk_info{device=\"vdb\",major=\"252\",minor=\"16\","
             "path=\"pci-0000:00:05.0\",wwn=\"\",model=\"\",serial=\"vol-data-"
             "01\","
             "revision=\"\",rotational=\"\"}") == 1);

  // sr0: a pre-4.18 line with 14 fields has no discard or flush series.
  CHECK(m.at("node_disk_reads_completed_total{device=\"sr0\"}") == 5);
  CHECK(m.count("node_disk_discards_completed_total{device=\"sr0\"}") == 0);

  // dm-0 passes; the partition and the loop device are excluded by default.
  CHECK(m.at("node_disk_written_bytes_total{device=\"dm-0\"}") ==
        984752.0 * 512);
  CHECK(m.count("node_disk_reads_completed_total{device=\"sda1\"}") == 0);
  CHECK(m.count("node_disk_reads_completed_total{device=\"loop0\"}") == 0);
}

TEST_CASE("DiskstatsCollector device include replaces the default exclude") {
  node_health::DiskstatsOptions opts;
  opts.device_include = "^sda";
  node_health::DiskstatsCollector c(test::FixturePaths(), opts);
  auto m = test::Collect(c);
  CHECK(m.at("node_disk_reads_completed_total{device=\"sda1\"}") == 250);
  CHECK(m.count("node_disk_reads_completed_total{device=\"dm-0\"}") == 0);

  opts.device_exclude = "^dm-";
  CHECK_THROWS_AS(node_health::DiskstatsCollector(test::FixturePaths(), opts),
                  std::invalid_argument);
  opts.device_include = "";
  opts.device_exclude = "(";
  CHECK_THROWS_AS(node_health::DiskstatsCollector(test::FixturePaths(), opts),
                  std::invalid_argument);
}

TEST_CASE("udev filesystem, device-mapper and ATA properties") {
  auto info = node_health::ParseUdevDiskInfo(
      "E:DM_NAME=vg0-data\nE:DM_VG_NAME=vg0\nE:DM_LV_NAME=data\nE:ID_FS_TYPE="
      "ext4\n"
      "E:ID_FS_USAGE=filesystem\nE:ID_ATA_ROTATION_RATE_RPM=7200\nS:ignored\n");
  CHECK(info.dm_name == "vg0-data");
  CHECK(info.dm_lv_name == "data");
  CHECK(info.fs_type == "ext4");
  CHECK(info.fs_usage == "filesystem");
  CHECK(info.ata_rotation_rate_rpm == "7200");
  CHECK(info.ata_write_cache.empty());

  node_health::DiskstatsCollector c(test::FixturePaths(), {});
  auto m = test::Collect(c);
  CHECK(m.at("node_disk_ata_rotation_rate_rpm{device=\"sda\"}") == 0);
  CHECK(m.at("node_disk_ata_write_cache_enabled{device=\"sda\"}") == 1);
  CHECK(
      m.at("node_disk_filesystem_info{device=\"dm-0\",type=\"ext4\",usage="
           "\"filesystem\","
           "uuid=\"3f1c2a9e-7b44-4d0b-9a55-0c1e2f3a4b5c\",version=\"1.0\"}") ==
      1);
  CHECK(m.at("node_disk_device_mapper_info{device=\"dm-0\",name=\"vg0-data\","
             "uuid=\"LVM-"
             "q7KzOeN3mX2h8dY0yB1pR4tS6uV9wZ0aC3eF5gH7jK8lM0nP2qR4sT6uV8wX0yZ\""
             ",vg_name=\"vg0\","
             "lv_name=\"data\",lv_layer=\"\"}") == 1);
}

TEST_SUITE_END();
