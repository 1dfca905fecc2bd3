//! Where records are kept in this browser, chosen once per page: IndexedDB (`indexed`), else
//! one localStorage key per record (`key_records`), else this page's memory. The local store
//! keeps its threads here, and the remote stores their cached copies, each in its own `Space`.

use super::idb::{Boxed, IdbError};
use super::indexed::IndexedRecords;
use super::key_records::KeyRecords;
use super::local::local_storage;
use super::records::Space;
use super::StoreNotice;
use crate::model::ThreadData;
use std::cell::RefCell;
use std::rc::Rc;

pub enum Records {
    Indexed(IndexedRecords),
    Keys(KeyRecords),
    /// Each space's records (by its name), for as long as the page lives; a page holds few.
    Memory(RefCell<Vec<(String, ThreadData)>>),
}

thread_local! {
    static PAGE_RECORDS: RefCell<Option<Rc<Records>>> = const { RefCell::new(None) };
}

impl Records {
    /// The first of IndexedDB, localStorage and memory that can be used here.
    pub async fn open() -> Records {
        match IndexedRecords::open().await {
            Ok(records) => Records::Indexed(records),
            Err(error) => {
                let why = format!("Colloquy: no IndexedDB here ({error}): comments are kept in localStorage, or in this page only");
                web_sys::console::info_1(&why.into());
                match local_storage() {
                    Some(storage) => Records::Keys(KeyRecords::new(storage)),
                    None => Records::Memory(RefCell::default()),
                }
            }
        }
    }

    /// This page's records, opened on first use and shared by every store.
    pub fn shared() -> Boxed<'static, Rc<Records>> {
        Box::pin(async {
            if let Some(records) = Records::opened() {
                return records;
            }
            let opened = Records::open().await;
            // Another caller may have opened them meanwhile: the first stands.
            PAGE_RECORDS.with(|r| {
                r.borrow_mut()
                    .get_or_insert_with(|| Rc::new(opened))
                    .clone()
            })
        })
    }

    /// This page's records if they have been opened.
    pub fn opened() -> Option<Rc<Records>> {
        PAGE_RECORDS.with(|r| r.borrow().clone())
    }

    /// `space`'s records, and a notice if some could not be read and were set aside.
    pub fn read<'a>(
        &'a self,
        space: &'a Space,
    ) -> Boxed<'a, Result<(ThreadData, Option<StoreNotice>), IdbError>> {
        Box::pin(async move {
            match self {
                Records::Indexed(records) => records.read(space).await.map(|data| (data, None)),
                Records::Keys(records) => Ok(records.read(space)),
                Records::Memory(spaces) => {
                    let spaces = spaces.borrow();
                    let data = spaces.iter().find(|(name, _)| *name == space.name);
                    Ok((data.map(|(_, data)| data.clone()).unwrap_or_default(), None))
                }
            }
        })
    }

    /// Merges `data` into `space`'s records by the merge rules, writing only the records that
    /// change; once written, those records.
    pub fn write<'a>(
        &'a self,
        space: &'a Space,
        data: &'a ThreadData,
    ) -> Boxed<'a, Result<ThreadData, IdbError>> {
        Box::pin(async move {
            match self {
                Records::Indexed(records) => records.write(space, data).await,
                Records::Keys(records) => records.write(space, data),
                Records::Memory(spaces) => {
                    let mut spaces = spaces.borrow_mut();
                    let at = match spaces.iter().position(|(name, _)| *name == space.name) {
                        Some(at) => at,
                        None => {
                            spaces.push((space.name.clone(), ThreadData::default()));
                            spaces.len() - 1
                        }
                    };
                    Ok(spaces[at].1.absorb(data))
                }
            }
        })
    }
}
