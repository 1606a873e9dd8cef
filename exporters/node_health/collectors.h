#pragma once

#include <vector>

#include "common/collector_set.h"

namespace node_health {

// The spec of every node_health collector: the one list of them, in the
// order they run and appear in --help.
std::vector<common::CollectorSpec> CollectorSpecs();

// Registers every collector of CollectorSpecs() with `set`.
void RegisterCollectors(common::CollectorSet& set);

}  // namespace node_health
