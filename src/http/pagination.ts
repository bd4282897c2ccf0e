import { Type, type Static, type TArray, type TNull, type TObject, type TSchema, type TString, type TUnion } from '@sinclair/typebox'

/** The query and the shape of a page of any list; the cursors themselves are made in src/db/pagination.ts. */

export const PageQuery = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 200, default: 50, description: 'Page size (1–200)' }),
  cursor: Type.Optional(Type.String({ maxLength: 200, description: 'nextCursor of the previous page' })),
})
export type PageQuery = Static<typeof PageQuery>

type PageSchema<T extends TSchema> = TObject<{ items: TArray<T>; nextCursor: TUnion<[TString, TNull]> }>
const pages = new WeakMap<TSchema, PageSchema<TSchema>>()

/** The page of a list of `item`s; one schema per item schema, so a module can name it (e.g. VisitPage) once. */
export function Page<T extends TSchema>(item: T): PageSchema<T> {
  let page = pages.get(item)
  if (!page) {
    page = Type.Object({
      items: Type.Array(item),
      nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass as ?cursor= for the next page; null on the last page' }),
    })
    pages.set(item, page)
  }
  return page as PageSchema<T>
}
