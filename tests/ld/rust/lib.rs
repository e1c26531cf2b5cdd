// A wasm32-wasip3 component with a task hook, for ld-rust. It is `no_core`
// (with the few lang items rustc needs, RUSTC_BOOTSTRAP=1) so that it
// builds without the target's standard library installed: only linking is
// under test. The hook stores the code it was called with; `run` returns
// it. In a fresh instance `run` returns 0 when the start hook ran before the
// body, 99 when no hook ran.
#![feature(no_core, lang_items)]
#![no_core]
#![allow(internal_features)]

#[lang = "pointee_sized"]
pub trait PointeeSized {}
#[lang = "meta_sized"]
pub trait MetaSized: PointeeSized {}
#[lang = "sized"]
pub trait Sized: MetaSized {}
#[lang = "copy"]
pub trait Copy {}
impl Copy for i32 {}
#[lang = "drop_in_place"]
#[allow(unconditional_recursion)]
pub unsafe fn drop_in_place<T: ?Sized>(p: *mut T) {
    unsafe { drop_in_place(p) }
}

static mut LAST: i32 = 99;

#[no_mangle]
pub extern "C" fn __wasm_task_hook(code: i32) {
    unsafe { LAST = code }
}

#[no_mangle]
pub extern "C" fn run() -> i32 {
    unsafe { LAST }
}
