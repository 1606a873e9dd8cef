#pragma once

#include "common/collector_set.h"

namespace node_health {

// Registers every node_health collector with `set`: the one list of them.
void RegisterCollectors(common::CollectorSet& set);

}  // namespace node_health
