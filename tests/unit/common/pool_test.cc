#include "common/pool.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

TEST_SUITE_BEGIN("common::Pool");

TEST_CASE("a pool lends objects out, reuses them, keeps at most `keep` idle") {
  common::Pool<std::string> pool(2);
  const std::string* first = nullptr;
  {
    auto a = pool.Take();
    a->assign(1000, 'x');
    first = &*a;
  }
  CHECK(pool.idle() == 1);
  {
    // The same object comes back, with what it held (callers clear it).
    auto again = pool.Take();
    CHECK(&*again == first);
    CHECK(again->size() == 1000);
    CHECK(pool.idle() == 0);
  }
  {
    std::vector<common::Pool<std::string>::Lease> burst;
    for (int i = 0; i < 5; ++i) burst.push_back(pool.Take());
    CHECK(pool.idle() == 0);
  }
  // Five were given back; two are kept, three freed.
  CHECK(pool.idle() == 2);
}

TEST_SUITE_END();
