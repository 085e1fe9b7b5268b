// libfetch's global initialisation state (fetch_global_init / fetch_global_cleanup).
#pragma once

namespace fetch::global {

// How many fetch_global_init calls are not yet balanced by fetch_global_cleanup.
int init_count();

}  // namespace fetch::global
