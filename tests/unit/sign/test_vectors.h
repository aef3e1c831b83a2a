/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The worked example of docs/protocol/signed-image-format.md §8 (TEST ONLY key). */
#ifndef SIGN_TEST_VECTORS_H
#define SIGN_TEST_VECTORS_H

#include <stddef.h>
#include <stdint.h>

#include "spec_test_key.h"

#define SHA_TEST_BIN "b20599e675de412a4165fd57d08df539d70dd0fc857322262d7aa2c229b3d234"
#define SHA_SIG_NEW "b8f4db3f5f9128a575d0e95921ca72e62372effd88349ab2baa35738fc5f61c1"
#define SHA_SIG_LEGACY "1eb71de18c911cc54c1364559d87eaeaa4b21d122e94ebdb222ccc15ae50e6db"
#define SHA_SIGNED "1157ae0605b163dfab6600031fe2ce9bd507eabd7003e9889b1dfee30a171c0f"
#define SHA_LEGACY_SIGNED "5f0e4c68bf40c7c5d10a269494853fa65746994f6b49f5e7563eff9769756c23"
#define SHA_HEADER_ON "69b49384de46647608e37fd8ec4b29c6817f2ef92c31a9b8d5314db10ab17e1c"
#define SHA_HEADER_OFF "b9b65037509ca53d10005a31c22a2c5c0a06a714b91b411bd37827dfc1de046e"
#define SHA_TEST_GZ "35b8efc3229133fa59f54fdc455dd7e15e764688d89f44e77816110fbfc401b9"

#endif
