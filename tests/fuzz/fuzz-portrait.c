/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target: DG2 (the CBEFF template and the facial record) and the
 * portrait decoders (JPEG, JP2, J2K) on arbitrary bytes: the input as a
 * DG2 file, and as an image. */
#include "config.h"

#include <stdint.h>

#include "chip/bhxh-chip-private.h"
#include "chip/bhxh-portrait.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static void
decode_one (GBytes *image)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhPortrait) portrait = bhxh_portrait_decode (image, &error);

  /* Exactly one of pixels and an error; the pixels fill their rows. */
  g_assert ((portrait == NULL) != (error == NULL));
  if (portrait != NULL)
    g_assert (g_bytes_get_size (portrait->pixels) == portrait->rowstride * portrait->height);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  /* A copy of exactly size bytes: reads past the end are caught by ASan. */
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(GBytes) image = NULL;
  g_autoptr(GError) error = NULL;
  const char *type = NULL;

  image = _bhxh_chip_parse_dg2 (bytes, &type, &error);
  g_assert ((image == NULL) != (error == NULL));
  if (image != NULL)
    decode_one (image);
  decode_one (bytes);
  return 0;
}
