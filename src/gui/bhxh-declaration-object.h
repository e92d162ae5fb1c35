/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "core/bhxh-declaration.h"

G_BEGIN_DECLS

#define BHXH_TYPE_DECLARATION_OBJECT (bhxh_declaration_object_get_type ())
G_DECLARE_FINAL_TYPE (BhxhDeclarationObject, bhxh_declaration_object,
                      BHXH, DECLARATION_OBJECT, GObject)

BhxhDeclarationObject *bhxh_declaration_object_new          (BhxhDeclaration       *declaration,
                                                             const BhxhDate        *today);
const BhxhDeclaration *bhxh_declaration_object_get_declaration (BhxhDeclarationObject *self);
const char            *bhxh_declaration_object_get_id       (BhxhDeclarationObject *self);
const char            *bhxh_declaration_object_get_search_key (BhxhDeclarationObject *self);
const char            *bhxh_declaration_object_get_name_key (BhxhDeclarationObject *self);
int                    bhxh_declaration_object_get_days_left (BhxhDeclarationObject *self);
gboolean               bhxh_declaration_object_get_minor    (BhxhDeclarationObject *self);
BhxhDeclarationStatus  bhxh_declaration_object_get_status   (BhxhDeclarationObject *self);
void                   bhxh_declaration_object_set_status   (BhxhDeclarationObject *self,
                                                             BhxhDeclarationStatus  status);
gboolean               bhxh_declaration_object_get_unsaved  (BhxhDeclarationObject *self);
void                   bhxh_declaration_object_set_unsaved  (BhxhDeclarationObject *self,
                                                             gboolean               unsaved);
gboolean               bhxh_declaration_object_is_open      (BhxhDeclarationObject *self);
char                  *bhxh_declaration_object_dup_days_label (BhxhDeclarationObject *self);
/* Added by reassign: the clerk a supervisor handed it to (NULL: nobody). */
const char            *bhxh_declaration_object_get_assignee (BhxhDeclarationObject *self);
void                   bhxh_declaration_object_set_assignee (BhxhDeclarationObject *self,
                                                             const char            *login);

/* Folds a query the way search keys are folded (marks stripped, đ → d,
 * lower case, digits kept). */
char                  *bhxh_declaration_fold_query          (const char            *query);

G_END_DECLS
