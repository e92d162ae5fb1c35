/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Internal pieces of src/chip, exposed for the unit tests: the ICAO 9303
 * part 11 cryptography (BAC key derivation, mutual authentication, secure
 * messaging), BER-TLV, the LDS files and passive authentication. */

#include <glib.h>
#include <openssl/ec.h>

#include "core/bhxh-document.h"
#include "bhxh-chip.h"

G_BEGIN_DECLS

#define BHXH_CHIP_KEY_LEN 16   /* a two-key 3DES key: Ka || Kb */

#define BHXH_CHIP_MAX_KEY_LEN 32   /* AES-256 */

/* The cipher suite of secure messaging (ICAO 9303 part 11 §9.8): two-key
 * 3DES with the retail MAC (BAC, or chip authentication with 3DES), or
 * AES with CMAC (PACE, chip authentication with AES). */
typedef enum
{
  BHXH_CHIP_CIPHER_3DES,     /* zero: a zeroed BhxhChipSM is a 3DES one */
  BHXH_CHIP_CIPHER_AES,
} BhxhChipCipher;

/* The secure messaging state: the cipher suite, the session keys and the
 * send sequence counter (8 bytes for 3DES, 16 for AES), incremented before
 * every command and response. */
typedef struct
{
  BhxhChipCipher cipher;
  guint          key_len;    /* AES: 16, 24 or 32; 3DES: 16 (0 stands for 16) */
  guint8         ks_enc[BHXH_CHIP_MAX_KEY_LEN];
  guint8         ks_mac[BHXH_CHIP_MAX_KEY_LEN];
  guint8         ssc[16];
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
gsize     _bhxh_chip_pad_to        (GByteArray    *data,
                                    guint          block);
gboolean  _bhxh_chip_kdf           (BhxhChipCipher cipher,
                                    guint          key_len,
                                    const guint8  *secret,
                                    gsize          secret_len,
                                    guint32        counter,
                                    guint8        *key);
void      _bhxh_chip_sm_start      (BhxhChipSM    *sm,
                                    BhxhChipCipher cipher,
                                    guint          key_len,
                                    const guint8  *secret,
                                    gsize          secret_len);
gboolean  _bhxh_chip_aes_cbc       (const guint8  *key,
                                    guint          key_len,
                                    gboolean       encrypt,
                                    const guint8  *iv,
                                    const guint8  *in,
                                    gsize          len,
                                    guint8        *out);
gboolean  _bhxh_chip_cmac          (const guint8  *key,
                                    guint          key_len,
                                    const guint8  *data,
                                    gsize          len,
                                    guint8         mac[8]);
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
void      _bhxh_tlv_append         (GByteArray    *out,
                                    guint          tag,
                                    const guint8  *value,
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
                                        const char   *ec_digest,
                                        const guint8  challenge[8],
                                        const guint8 *signature,
                                        gsize         signature_len,
                                        const char  **reason);

/* SecurityInfos (EF.CardAccess, DG14): each SecurityInfo's protocol OID
 * (its DER contents) and what follows it in its SEQUENCE. */
typedef struct
{
  const guint8 *oid;
  gsize         oid_len;
  const guint8 *rest;
  gsize         rest_len;
} BhxhChipSecurityInfo;

GArray   *_bhxh_chip_security_infos (const guint8 *data,
                                     gsize         len);
gboolean  _bhxh_chip_der_uint       (const guint8 **p,
                                     const guint8  *end,
                                     guint         *value);

int       _bhxh_chip_curve_of_parameter (guint id);

/* Elliptic curves: ephemeral keys and ECDH (x coordinate of the product). */
BIGNUM   *_bhxh_chip_ec_random_key  (const EC_GROUP *group);
GBytes   *_bhxh_chip_ec_public      (const EC_GROUP *group,
                                     const EC_POINT *generator,
                                     const BIGNUM   *key);
EC_POINT *_bhxh_chip_ec_point       (const EC_GROUP *group,
                                     const guint8   *data,
                                     gsize           len);
GBytes   *_bhxh_chip_ec_encode      (const EC_GROUP *group,
                                     const EC_POINT *point);
GBytes   *_bhxh_chip_ec_shared_x    (const EC_GROUP *group,
                                     const BIGNUM   *key,
                                     const guint8   *peer,
                                     gsize           peer_len);

/* PACE (ICAO 9303 part 11 §4.4) with the generic mapping on elliptic
 * curves (PACE-ECDH-GM-AES-CBC-CMAC-128/192/256). */
typedef enum
{
  BHXH_CHIP_PACE_NONE,          /* no PACEInfo: BAC */
  BHXH_CHIP_PACE_SUPPORTED,     /* a PACEInfo this desk speaks */
  BHXH_CHIP_PACE_UNSUPPORTED,   /* PACE offered, none of it supported: BAC */
} BhxhChipPaceOffer;

typedef struct
{
  guint8         oid[16];        /* the protocol's DER contents */
  gsize          oid_len;
  BhxhChipCipher cipher;
  guint          key_len;
  guint          parameter_id;   /* the standardized domain parameters */
  int            nid;            /* their curve */
} BhxhChipPaceInfo;

typedef struct
{
  BhxhChipPaceInfo info;
  EC_GROUP *group;
  guint8    k_pi[BHXH_CHIP_MAX_KEY_LEN];
  BIGNUM   *nonce;         /* s, decrypted */
  BIGNUM   *map_key;       /* the terminal's mapping key (set beforehand: the tests) */
  EC_POINT *h;             /* the mapping's shared point */
  EC_POINT *generator;     /* the mapped generator G' */
  BIGNUM   *eph_key;       /* the terminal's ephemeral key on G' */
  GBytes   *eph_public;    /* PK.IFD */
  GBytes   *chip_public;   /* PK.IC */
  GBytes   *secret;        /* K, the shared secret's x coordinate */
} BhxhChipPace;

BhxhChipPaceOffer _bhxh_chip_parse_card_access (GBytes            *card_access,
                                                BhxhChipPaceInfo  *out);
gboolean  _bhxh_chip_pace_init      (BhxhChipPace      *pace,
                                     const BhxhChipPaceInfo *info,
                                     const BhxhChipKey *key);
gboolean  _bhxh_chip_pace_nonce     (BhxhChipPace      *pace,
                                     const guint8      *encrypted,
                                     gsize              len);
GBytes   *_bhxh_chip_pace_map_public (BhxhChipPace     *pace);
gboolean  _bhxh_chip_pace_map       (BhxhChipPace      *pace,
                                     const guint8      *chip_map_public,
                                     gsize              len);
GBytes   *_bhxh_chip_pace_eph_public (BhxhChipPace     *pace);
gboolean  _bhxh_chip_pace_agree     (BhxhChipPace      *pace,
                                     const guint8      *chip_public,
                                     gsize              len,
                                     BhxhChipSM        *sm);
gboolean  _bhxh_chip_pace_token     (const BhxhChipPaceInfo *info,
                                     const BhxhChipSM  *sm,
                                     GBytes            *public_key,
                                     guint8             token[8]);
void      _bhxh_chip_pace_clear     (BhxhChipPace      *pace);

/* DG14: chip authentication (ICAO 9303 part 11 §6.2, ECDH) and the
 * active authentication's signature algorithm. */
typedef struct
{
  gboolean       has_ca;          /* a ChipAuthenticationInfo with its key */
  guint8         ca_oid[16];
  gsize          ca_oid_len;
  BhxhChipCipher cipher;
  guint          key_len;
  gboolean       has_key_id;
  guint          key_id;
  EC_GROUP      *group;           /* the chip's static key */
  GBytes        *chip_public;
  const char    *aa_digest;       /* ActiveAuthenticationInfo's hash, or NULL */
} BhxhChipDg14;

gboolean  _bhxh_chip_parse_dg14     (GBytes            *dg14,
                                     BhxhChipDg14      *out,
                                     GError           **error);
void      _bhxh_chip_dg14_clear     (BhxhChipDg14      *dg14);

G_END_DECLS
