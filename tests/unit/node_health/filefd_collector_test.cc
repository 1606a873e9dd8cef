#include "filefd_collector.h"

#include <doctest/doctest.h>

#include "common/file_util.h"
#include "test_util.h"

using node_health::FilefdCollector;
using node_health::ParseFileNr;

TEST_SUITE_BEGIN("node_health::filefd");

TEST_CASE("ParseFileNr reads allocated and maximum") {
  auto nr = ParseFileNr("10432\t0\t9223372036854775807\n");
  CHECK(nr.allocated == 10432);
  CHECK(nr.maximum == 9223372036854775807.0);
  auto spaces = ParseFileNr("1 0 18446744073709551615");
  CHECK(spaces.allocated == 1);
  CHECK(spaces.maximum == 18446744073709551615.0);
}

TEST_CASE("ParseFileNr rejects short and non-numeric input") {
  CHECK_THROWS_AS(ParseFileNr(""), common::ParseError);
  CHECK_THROWS_AS(ParseFileNr("10432\t0\n"), common::ParseError);
  CHECK_THROWS_AS(ParseFileNr("x\t0\t100\n"), common::ParseError);
  CHECK_THROWS_AS(ParseFileNr("1\t0\tmany\n"), common::ParseError);
}

TEST_CASE("FilefdCollector on the fixture tree") {
  FilefdCollector c(test::FixturePaths());
  auto m = test::Collect(c);
  CHECK(m.at("node_filefd_allocated") == 10432);
  CHECK(m.at("node_filefd_maximum") == 9223372036854775807.0);
  CHECK(m.size() == 2);
  CHECK(test::Render(c).find(
            "# HELP node_filefd_allocated File descriptor statistics: "
            "allocated.\n# TYPE node_filefd_allocated gauge\n") !=
        std::string::npos);
}

TEST_SUITE_END();
