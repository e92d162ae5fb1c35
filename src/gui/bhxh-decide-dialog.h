/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

typedef enum
{
  BHXH_DECIDE_REJECT,
  BHXH_DECIDE_ESCALATE,
  BHXH_DECIDE_OVERRIDE,   /* approve despite a blocking reason: note required */
} BhxhDecideMode;

#define BHXH_TYPE_DECIDE_DIALOG (bhxh_decide_dialog_get_type ())
G_DECLARE_FINAL_TYPE (BhxhDecideDialog, bhxh_decide_dialog, BHXH, DECIDE_DIALOG, AdwWindow)

/* reason_codes: (element-type BhxhReasonCode); preselected: codes to tick. */
BhxhDecideDialog *bhxh_decide_dialog_new          (GtkWindow          *parent,
                                                   BhxhDecideMode      mode,
                                                   const char         *person_name,
                                                   GPtrArray          *reason_codes,
                                                   const char * const *preselected,
                                                   gboolean            supervisor);
BhxhDecideMode    bhxh_decide_dialog_get_mode     (BhxhDecideDialog   *self);
void              bhxh_decide_dialog_set_note     (BhxhDecideDialog   *self,
                                                   const char         *note);
void              bhxh_decide_dialog_set_selected (BhxhDecideDialog   *self,
                                                   const char         *code,
                                                   gboolean            selected);
/* Emits "decided" (GStrv codes, note) when the input is complete; FALSE
 * and an explanation on the dialog otherwise. */
gboolean          bhxh_decide_dialog_confirm      (BhxhDecideDialog   *self);

G_END_DECLS
