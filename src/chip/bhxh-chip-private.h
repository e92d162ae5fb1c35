/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Internal pieces of src/chip, exposed for the unit tests: the ICAO 9303
 * part 11 cryptography (BAC key derivation, mutual authentication, secure
 * messaging), BER-TLV, the LDS files and passive authentication. */

#include <glib.h>

#include "core/bhxh-document.h"
#include "bhxh-chip.h"

G_BEGIN_DECLS

#define BHXH_CHIP_KEY_LEN 16   /* a two-key 3DES key: Ka || Kb */

/* The secure messaging state after BAC: session keys and the send
 * sequence counter, incremented before every command and response. */
typedef struct
{
  guint8 ks_enc[BHXH_CHIP_KEY_LEN];
  guint8 ks_mac[BHXH_CHIP_KEY_LEN];
  guint8 ssc[8];
} BhxhChipSM;

/* The terminal's half of BAC, kept between its two steps. */
typedef struct
{
  guint8 k_enc[BHXH_CHIP_KEY_LEN];
  guint8 k_mac[BHXH_CHIP_KEY_LEN];
  guint8 rnd_icc[8];
  guint8 rnd_ifd[8];
  guint8 k_ifd[16];
} BhxhChipBac;

int       _bhxh_chip_check_digit   (const char    *text);
char     *_bhxh_chip_mrz_info      (const BhxhChipKey *key);
void      _bhxh_chip_key_seed      (const BhxhChipKey *key,
                                    guint8         seed[16]);
void      _bhxh_chip_derive_key    (const guint8  *seed,
                                    guint32        counter,
                                    guint8         key[BHXH_CHIP_KEY_LEN]);
gboolean  _bhxh_chip_3des_cbc      (const guint8  *key,
                                    gboolean       encrypt,
                                    const guint8  *in,
                                    gsize          len,
                                    guint8        *out);
gsize     _bhxh_chip_pad           (GByteArray    *data);
gboolean  _bhxh_chip_mac           (const guint8  *key,
                                    const guint8  *data,
                                    gsize          len,
                                    guint8         mac[8]);
void      _bhxh_chip_bac_init      (BhxhChipBac   *bac,
                                    const BhxhChipKey *key);
gboolean  _bhxh_chip_bac_command   (BhxhChipBac   *bac,
                                    guint8         cmd_data[40]);
gboolean  _bhxh_chip_bac_finish    (const BhxhChipBac *bac,
                                    const guint8  *resp,
                                    gsize          resp_len,
                                    BhxhChipSM    *sm,
                                    GError       **error);
GBytes   *_bhxh_chip_sm_wrap       (BhxhChipSM    *sm,
                                    const guint8  *apdu,
                                    gsize          len,
                                    GError       **error);
GBytes   *_bhxh_chip_sm_unwrap     (BhxhChipSM    *sm,
                                    const guint8  *resp,
                                    gsize          len,
                                    guint16       *sw,
                                    GError       **error);

/* BER-TLV: one element at *@p; advances *@p past it. */
gboolean  _bhxh_tlv_next           (const guint8 **p,
                                    const guint8  *end,
                                    guint         *tag,
                                    const guint8 **value,
                                    gsize         *len);
gboolean  _bhxh_tlv_find           (const guint8  *data,
                                    gsize          len,
                                    guint          tag,
                                    const guint8 **value,
                                    gsize         *value_len);
gssize    _bhxh_tlv_total_length   (const guint8  *head,
                                    gsize          len);

/* The LDS files. */
GArray   *_bhxh_chip_parse_com     (GBytes        *com,
                                    GError       **error);
char     *_bhxh_chip_parse_dg1     (GBytes        *dg1,
                                    GError       **error);
gboolean  _bhxh_chip_parse_dg13    (GBytes        *dg13,
                                    BhxhDocument  *doc,
                                    GError       **error);
GBytes   *_bhxh_chip_parse_dg2     (GBytes        *dg2,
                                    const char   **mime_type,
                                    GError       **error);

/* Passive authentication of the files read (number → GBytes). */
typedef struct
{
  BhxhAuthResult  result;
  char           *reason;   /* a code on invalid, e.g. "dg13-hash-mismatch" */
  char           *signer;   /* the Document Signer's subject, one line */
} BhxhChipPassiveResult;

void      _bhxh_chip_passive_check (GBytes        *sod,
                                    GHashTable    *groups,
                                    const char    *csca_dir,
                                    GDateTime     *now,
                                    BhxhChipPassiveResult *out);
void      _bhxh_chip_passive_result_clear (BhxhChipPassiveResult *result);

/* Active authentication: the chip's signature of @challenge by DG15's key. */
BhxhAuthResult _bhxh_chip_active_check (GBytes       *dg15,
                                        const guint8  challenge[8],
                                        const guint8 *signature,
                                        gsize         signature_len,
                                        const char  **reason);

G_END_DECLS
