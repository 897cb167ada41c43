//! Small builders the migrations share. They build statements only; what a migration
//! creates stays written out in the migration itself.

use sea_orm_migration::prelude::*;

pub(crate) fn index(table: impl IntoIden, col: impl IntoIden, name: &str) -> IndexCreateStatement {
    Index::create().name(name).table(table).col(col).to_owned()
}

/// A unique index over several columns.
pub(crate) fn unique_index<C: IntoIden>(
    table: impl IntoIden,
    cols: impl IntoIterator<Item = C>,
    name: &str,
) -> IndexCreateStatement {
    let mut index = Index::create();
    index.name(name).table(table).unique();
    for col in cols {
        index.col(col);
    }
    index.to_owned()
}

fn foreign_key(
    (from, from_col): (impl IntoIden, impl IntoIden),
    (to, to_col): (impl IntoIden, impl IntoIden),
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from, from_col)
        .to(to, to_col)
        .on_delete(on_delete)
        .to_owned()
}

/// Rows that belong to the row they point at go with it.
pub(crate) fn cascade(
    from: impl IntoIden,
    from_col: impl IntoIden,
    to: impl IntoIden,
    to_col: impl IntoIden,
) -> ForeignKeyCreateStatement {
    foreign_key((from, from_col), (to, to_col), ForeignKeyAction::Cascade)
}

/// Rows that only refer to another keep it from being deleted.
pub(crate) fn restrict(
    from: impl IntoIden,
    from_col: impl IntoIden,
    to: impl IntoIden,
    to_col: impl IntoIden,
) -> ForeignKeyCreateStatement {
    foreign_key((from, from_col), (to, to_col), ForeignKeyAction::Restrict)
}

/// Drops `tables` in the order given: children before parents, so foreign keys never
/// dangle.
pub(crate) async fn drop_tables(m: &SchemaManager<'_>, tables: Vec<DynIden>) -> Result<(), DbErr> {
    for table in tables {
        m.drop_table(Table::drop().table(table).to_owned()).await?;
    }
    Ok(())
}
