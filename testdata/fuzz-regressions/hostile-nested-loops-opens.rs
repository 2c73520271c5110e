fn f(p: &str) -> rusqlite::Result<()> {
    for a0 in 0..2 {
        let c0 = rusqlite::Connection::open(p)?;
        let t0 = c0.unchecked_transaction()?;
        t0.execute("INSERT INTO t VALUES (1)", [])?;
    for a1 in 0..2 {
        let c1 = rusqlite::Connection::open(p)?;
        let t1 = c1.unchecked_transaction()?;
        t1.execute("INSERT INTO t VALUES (1)", [])?;
    for a2 in 0..2 {
        let c2 = rusqlite::Connection::open(p)?;
        let t2 = c2.unchecked_transaction()?;
        t2.execute("INSERT INTO t VALUES (1)", [])?;
    for a3 in 0..2 {
        let c3 = rusqlite::Connection::open(p)?;
        let t3 = c3.unchecked_transaction()?;
        t3.execute("INSERT INTO t VALUES (1)", [])?;
    for a4 in 0..2 {
        let c4 = rusqlite::Connection::open(p)?;
        let t4 = c4.unchecked_transaction()?;
        t4.execute("INSERT INTO t VALUES (1)", [])?;
    for a5 in 0..2 {
        let c5 = rusqlite::Connection::open(p)?;
        let t5 = c5.unchecked_transaction()?;
        t5.execute("INSERT INTO t VALUES (1)", [])?;
    for a6 in 0..2 {
        let c6 = rusqlite::Connection::open(p)?;
        let t6 = c6.unchecked_transaction()?;
        t6.execute("INSERT INTO t VALUES (1)", [])?;
    for a7 in 0..2 {
        let c7 = rusqlite::Connection::open(p)?;
        let t7 = c7.unchecked_transaction()?;
        t7.execute("INSERT INTO t VALUES (1)", [])?;
    for a8 in 0..2 {
        let c8 = rusqlite::Connection::open(p)?;
        let t8 = c8.unchecked_transaction()?;
        t8.execute("INSERT INTO t VALUES (1)", [])?;
    for a9 in 0..2 {
        let c9 = rusqlite::Connection::open(p)?;
        let t9 = c9.unchecked_transaction()?;
        t9.execute("INSERT INTO t VALUES (1)", [])?;
    for a10 in 0..2 {
        let c10 = rusqlite::Connection::open(p)?;
        let t10 = c10.unchecked_transaction()?;
        t10.execute("INSERT INTO t VALUES (1)", [])?;
    for a11 in 0..2 {
        let c11 = rusqlite::Connection::open(p)?;
        let t11 = c11.unchecked_transaction()?;
        t11.execute("INSERT INTO t VALUES (1)", [])?;
    for a12 in 0..2 {
        let c12 = rusqlite::Connection::open(p)?;
        let t12 = c12.unchecked_transaction()?;
        t12.execute("INSERT INTO t VALUES (1)", [])?;
    for a13 in 0..2 {
        let c13 = rusqlite::Connection::open(p)?;
        let t13 = c13.unchecked_transaction()?;
        t13.execute("INSERT INTO t VALUES (1)", [])?;
    for a14 in 0..2 {
        let c14 = rusqlite::Connection::open(p)?;
        let t14 = c14.unchecked_transaction()?;
        t14.execute("INSERT INTO t VALUES (1)", [])?;
    for a15 in 0..2 {
        let c15 = rusqlite::Connection::open(p)?;
        let t15 = c15.unchecked_transaction()?;
        t15.execute("INSERT INTO t VALUES (1)", [])?;
    for a16 in 0..2 {
        let c16 = rusqlite::Connection::open(p)?;
        let t16 = c16.unchecked_transaction()?;
        t16.execute("INSERT INTO t VALUES (1)", [])?;
    for a17 in 0..2 {
        let c17 = rusqlite::Connection::open(p)?;
        let t17 = c17.unchecked_transaction()?;
        t17.execute("INSERT INTO t VALUES (1)", [])?;
    for a18 in 0..2 {
        let c18 = rusqlite::Connection::open(p)?;
        let t18 = c18.unchecked_transaction()?;
        t18.execute("INSERT INTO t VALUES (1)", [])?;
    for a19 in 0..2 {
        let c19 = rusqlite::Connection::open(p)?;
        let t19 = c19.unchecked_transaction()?;
        t19.execute("INSERT INTO t VALUES (1)", [])?;
    for a20 in 0..2 {
        let c20 = rusqlite::Connection::open(p)?;
        let t20 = c20.unchecked_transaction()?;
        t20.execute("INSERT INTO t VALUES (1)", [])?;
    for a21 in 0..2 {
        let c21 = rusqlite::Connection::open(p)?;
        let t21 = c21.unchecked_transaction()?;
        t21.execute("INSERT INTO t VALUES (1)", [])?;
    for a22 in 0..2 {
        let c22 = rusqlite::Connection::open(p)?;
        let t22 = c22.unchecked_transaction()?;
        t22.execute("INSERT INTO t VALUES (1)", [])?;
    for a23 in 0..2 {
        let c23 = rusqlite::Connection::open(p)?;
        let t23 = c23.unchecked_transaction()?;
        t23.execute("INSERT INTO t VALUES (1)", [])?;
    for a24 in 0..2 {
        let c24 = rusqlite::Connection::open(p)?;
        let t24 = c24.unchecked_transaction()?;
        t24.execute("INSERT INTO t VALUES (1)", [])?;
    for a25 in 0..2 {
        let c25 = rusqlite::Connection::open(p)?;
        let t25 = c25.unchecked_transaction()?;
        t25.execute("INSERT INTO t VALUES (1)", [])?;
    for a26 in 0..2 {
        let c26 = rusqlite::Connection::open(p)?;
        let t26 = c26.unchecked_transaction()?;
        t26.execute("INSERT INTO t VALUES (1)", [])?;
    for a27 in 0..2 {
        let c27 = rusqlite::Connection::open(p)?;
        let t27 = c27.unchecked_transaction()?;
        t27.execute("INSERT INTO t VALUES (1)", [])?;
    for a28 in 0..2 {
        let c28 = rusqlite::Connection::open(p)?;
        let t28 = c28.unchecked_transaction()?;
        t28.execute("INSERT INTO t VALUES (1)", [])?;
    for a29 in 0..2 {
        let c29 = rusqlite::Connection::open(p)?;
        let t29 = c29.unchecked_transaction()?;
        t29.execute("INSERT INTO t VALUES (1)", [])?;
    for a30 in 0..2 {
        let c30 = rusqlite::Connection::open(p)?;
        let t30 = c30.unchecked_transaction()?;
        t30.execute("INSERT INTO t VALUES (1)", [])?;
    for a31 in 0..2 {
        let c31 = rusqlite::Connection::open(p)?;
        let t31 = c31.unchecked_transaction()?;
        t31.execute("INSERT INTO t VALUES (1)", [])?;
    for a32 in 0..2 {
        let c32 = rusqlite::Connection::open(p)?;
        let t32 = c32.unchecked_transaction()?;
        t32.execute("INSERT INTO t VALUES (1)", [])?;
    for a33 in 0..2 {
        let c33 = rusqlite::Connection::open(p)?;
        let t33 = c33.unchecked_transaction()?;
        t33.execute("INSERT INTO t VALUES (1)", [])?;
    for a34 in 0..2 {
        let c34 = rusqlite::Connection::open(p)?;
        let t34 = c34.unchecked_transaction()?;
        t34.execute("INSERT INTO t VALUES (1)", [])?;
    for a35 in 0..2 {
        let c35 = rusqlite::Connection::open(p)?;
        let t35 = c35.unchecked_transaction()?;
        t35.execute("INSERT INTO t VALUES (1)", [])?;
    for a36 in 0..2 {
        let c36 = rusqlite::Connection::open(p)?;
        let t36 = c36.unchecked_transaction()?;
        t36.execute("INSERT INTO t VALUES (1)", [])?;
    for a37 in 0..2 {
        let c37 = rusqlite::Connection::open(p)?;
        let t37 = c37.unchecked_transaction()?;
        t37.execute("INSERT INTO t VALUES (1)", [])?;
    for a38 in 0..2 {
        let c38 = rusqlite::Connection::open(p)?;
        let t38 = c38.unchecked_transaction()?;
        t38.execute("INSERT INTO t VALUES (1)", [])?;
    for a39 in 0..2 {
        let c39 = rusqlite::Connection::open(p)?;
        let t39 = c39.unchecked_transaction()?;
        t39.execute("INSERT INTO t VALUES (1)", [])?;
    for a40 in 0..2 {
        let c40 = rusqlite::Connection::open(p)?;
        let t40 = c40.unchecked_transaction()?;
        t40.execute("INSERT INTO t VALUES (1)", [])?;
    for a41 in 0..2 {
        let c41 = rusqlite::Connection::open(p)?;
        let t41 = c41.unchecked_transaction()?;
        t41.execute("INSERT INTO t VALUES (1)", [])?;
    for a42 in 0..2 {
        let c42 = rusqlite::Connection::open(p)?;
        let t42 = c42.unchecked_transaction()?;
        t42.execute("INSERT INTO t VALUES (1)", [])?;
    for a43 in 0..2 {
        let c43 = rusqlite::Connection::open(p)?;
        let t43 = c43.unchecked_transaction()?;
        t43.execute("INSERT INTO t VALUES (1)", [])?;
    for a44 in 0..2 {
        let c44 = rusqlite::Connection::open(p)?;
        let t44 = c44.unchecked_transaction()?;
        t44.execute("INSERT INTO t VALUES (1)", [])?;
    for a45 in 0..2 {
        let c45 = rusqlite::Connection::open(p)?;
        let t45 = c45.unchecked_transaction()?;
        t45.execute("INSERT INTO t VALUES (1)", [])?;
    for a46 in 0..2 {
        let c46 = rusqlite::Connection::open(p)?;
        let t46 = c46.unchecked_transaction()?;
        t46.execute("INSERT INTO t VALUES (1)", [])?;
    for a47 in 0..2 {
        let c47 = rusqlite::Connection::open(p)?;
        let t47 = c47.unchecked_transaction()?;
        t47.execute("INSERT INTO t VALUES (1)", [])?;
    for a48 in 0..2 {
        let c48 = rusqlite::Connection::open(p)?;
        let t48 = c48.unchecked_transaction()?;
        t48.execute("INSERT INTO t VALUES (1)", [])?;
    for a49 in 0..2 {
        let c49 = rusqlite::Connection::open(p)?;
        let t49 = c49.unchecked_transaction()?;
        t49.execute("INSERT INTO t VALUES (1)", [])?;
    for a50 in 0..2 {
        let c50 = rusqlite::Connection::open(p)?;
        let t50 = c50.unchecked_transaction()?;
        t50.execute("INSERT INTO t VALUES (1)", [])?;
    for a51 in 0..2 {
        let c51 = rusqlite::Connection::open(p)?;
        let t51 = c51.unchecked_transaction()?;
        t51.execute("INSERT INTO t VALUES (1)", [])?;
    for a52 in 0..2 {
        let c52 = rusqlite::Connection::open(p)?;
        let t52 = c52.unchecked_transaction()?;
        t52.execute("INSERT INTO t VALUES (1)", [])?;
    for a53 in 0..2 {
        let c53 = rusqlite::Connection::open(p)?;
        let t53 = c53.unchecked_transaction()?;
        t53.execute("INSERT INTO t VALUES (1)", [])?;
    for a54 in 0..2 {
        let c54 = rusqlite::Connection::open(p)?;
        let t54 = c54.unchecked_transaction()?;
        t54.execute("INSERT INTO t VALUES (1)", [])?;
    for a55 in 0..2 {
        let c55 = rusqlite::Connection::open(p)?;
        let t55 = c55.unchecked_transaction()?;
        t55.execute("INSERT INTO t VALUES (1)", [])?;
    for a56 in 0..2 {
        let c56 = rusqlite::Connection::open(p)?;
        let t56 = c56.unchecked_transaction()?;
        t56.execute("INSERT INTO t VALUES (1)", [])?;
    for a57 in 0..2 {
        let c57 = rusqlite::Connection::open(p)?;
        let t57 = c57.unchecked_transaction()?;
        t57.execute("INSERT INTO t VALUES (1)", [])?;
    for a58 in 0..2 {
        let c58 = rusqlite::Connection::open(p)?;
        let t58 = c58.unchecked_transaction()?;
        t58.execute("INSERT INTO t VALUES (1)", [])?;
    for a59 in 0..2 {
        let c59 = rusqlite::Connection::open(p)?;
        let t59 = c59.unchecked_transaction()?;
        t59.execute("INSERT INTO t VALUES (1)", [])?;
    for a60 in 0..2 {
        let c60 = rusqlite::Connection::open(p)?;
        let t60 = c60.unchecked_transaction()?;
        t60.execute("INSERT INTO t VALUES (1)", [])?;
    for a61 in 0..2 {
        let c61 = rusqlite::Connection::open(p)?;
        let t61 = c61.unchecked_transaction()?;
        t61.execute("INSERT INTO t VALUES (1)", [])?;
    for a62 in 0..2 {
        let c62 = rusqlite::Connection::open(p)?;
        let t62 = c62.unchecked_transaction()?;
        t62.execute("INSERT INTO t VALUES (1)", [])?;
    for a63 in 0..2 {
        let c63 = rusqlite::Connection::open(p)?;
        let t63 = c63.unchecked_transaction()?;
        t63.execute("INSERT INTO t VALUES (1)", [])?;
    for a64 in 0..2 {
        let c64 = rusqlite::Connection::open(p)?;
        let t64 = c64.unchecked_transaction()?;
        t64.execute("INSERT INTO t VALUES (1)", [])?;
    for a65 in 0..2 {
        let c65 = rusqlite::Connection::open(p)?;
        let t65 = c65.unchecked_transaction()?;
        t65.execute("INSERT INTO t VALUES (1)", [])?;
    for a66 in 0..2 {
        let c66 = rusqlite::Connection::open(p)?;
        let t66 = c66.unchecked_transaction()?;
        t66.execute("INSERT INTO t VALUES (1)", [])?;
    for a67 in 0..2 {
        let c67 = rusqlite::Connection::open(p)?;
        let t67 = c67.unchecked_transaction()?;
        t67.execute("INSERT INTO t VALUES (1)", [])?;
    for a68 in 0..2 {
        let c68 = rusqlite::Connection::open(p)?;
        let t68 = c68.unchecked_transaction()?;
        t68.execute("INSERT INTO t VALUES (1)", [])?;
    for a69 in 0..2 {
        let c69 = rusqlite::Connection::open(p)?;
        let t69 = c69.unchecked_transaction()?;
        t69.execute("INSERT INTO t VALUES (1)", [])?;
    for a70 in 0..2 {
        let c70 = rusqlite::Connection::open(p)?;
        let t70 = c70.unchecked_transaction()?;
        t70.execute("INSERT INTO t VALUES (1)", [])?;
    for a71 in 0..2 {
        let c71 = rusqlite::Connection::open(p)?;
        let t71 = c71.unchecked_transaction()?;
        t71.execute("INSERT INTO t VALUES (1)", [])?;
    for a72 in 0..2 {
        let c72 = rusqlite::Connection::open(p)?;
        let t72 = c72.unchecked_transaction()?;
        t72.execute("INSERT INTO t VALUES (1)", [])?;
    for a73 in 0..2 {
        let c73 = rusqlite::Connection::open(p)?;
        let t73 = c73.unchecked_transaction()?;
        t73.execute("INSERT INTO t VALUES (1)", [])?;
    for a74 in 0..2 {
        let c74 = rusqlite::Connection::open(p)?;
        let t74 = c74.unchecked_transaction()?;
        t74.execute("INSERT INTO t VALUES (1)", [])?;
    for a75 in 0..2 {
        let c75 = rusqlite::Connection::open(p)?;
        let t75 = c75.unchecked_transaction()?;
        t75.execute("INSERT INTO t VALUES (1)", [])?;
    for a76 in 0..2 {
        let c76 = rusqlite::Connection::open(p)?;
        let t76 = c76.unchecked_transaction()?;
        t76.execute("INSERT INTO t VALUES (1)", [])?;
    for a77 in 0..2 {
        let c77 = rusqlite::Connection::open(p)?;
        let t77 = c77.unchecked_transaction()?;
        t77.execute("INSERT INTO t VALUES (1)", [])?;
    for a78 in 0..2 {
        let c78 = rusqlite::Connection::open(p)?;
        let t78 = c78.unchecked_transaction()?;
        t78.execute("INSERT INTO t VALUES (1)", [])?;
    for a79 in 0..2 {
        let c79 = rusqlite::Connection::open(p)?;
        let t79 = c79.unchecked_transaction()?;
        t79.execute("INSERT INTO t VALUES (1)", [])?;
    for a80 in 0..2 {
        let c80 = rusqlite::Connection::open(p)?;
        let t80 = c80.unchecked_transaction()?;
        t80.execute("INSERT INTO t VALUES (1)", [])?;
    for a81 in 0..2 {
        let c81 = rusqlite::Connection::open(p)?;
        let t81 = c81.unchecked_transaction()?;
        t81.execute("INSERT INTO t VALUES (1)", [])?;
    for a82 in 0..2 {
        let c82 = rusqlite::Connection::open(p)?;
        let t82 = c82.unchecked_transaction()?;
        t82.execute("INSERT INTO t VALUES (1)", [])?;
    for a83 in 0..2 {
        let c83 = rusqlite::Connection::open(p)?;
        let t83 = c83.unchecked_transaction()?;
        t83.execute("INSERT INTO t VALUES (1)", [])?;
    for a84 in 0..2 {
        let c84 = rusqlite::Connection::open(p)?;
        let t84 = c84.unchecked_transaction()?;
        t84.execute("INSERT INTO t VALUES (1)", [])?;
    for a85 in 0..2 {
        let c85 = rusqlite::Connection::open(p)?;
        let t85 = c85.unchecked_transaction()?;
        t85.execute("INSERT INTO t VALUES (1)", [])?;
    for a86 in 0..2 {
        let c86 = rusqlite::Connection::open(p)?;
        let t86 = c86.unchecked_transaction()?;
        t86.execute("INSERT INTO t VALUES (1)", [])?;
    for a87 in 0..2 {
        let c87 = rusqlite::Connection::open(p)?;
        let t87 = c87.unchecked_transaction()?;
        t87.execute("INSERT INTO t VALUES (1)", [])?;
    for a88 in 0..2 {
        let c88 = rusqlite::Connection::open(p)?;
        let t88 = c88.unchecked_transaction()?;
        t88.execute("INSERT INTO t VALUES (1)", [])?;
    for a89 in 0..2 {
        let c89 = rusqlite::Connection::open(p)?;
        let t89 = c89.unchecked_transaction()?;
        t89.execute("INSERT INTO t VALUES (1)", [])?;
    for a90 in 0..2 {
        let c90 = rusqlite::Connection::open(p)?;
        let t90 = c90.unchecked_transaction()?;
        t90.execute("INSERT INTO t VALUES (1)", [])?;
    for a91 in 0..2 {
        let c91 = rusqlite::Connection::open(p)?;
        let t91 = c91.unchecked_transaction()?;
        t91.execute("INSERT INTO t VALUES (1)", [])?;
    for a92 in 0..2 {
        let c92 = rusqlite::Connection::open(p)?;
        let t92 = c92.unchecked_transaction()?;
        t92.execute("INSERT INTO t VALUES (1)", [])?;
    for a93 in 0..2 {
        let c93 = rusqlite::Connection::open(p)?;
        let t93 = c93.unchecked_transaction()?;
        t93.execute("INSERT INTO t VALUES (1)", [])?;
    for a94 in 0..2 {
        let c94 = rusqlite::Connection::open(p)?;
        let t94 = c94.unchecked_transaction()?;
        t94.execute("INSERT INTO t VALUES (1)", [])?;
    for a95 in 0..2 {
        let c95 = rusqlite::Connection::open(p)?;
        let t95 = c95.unchecked_transaction()?;
        t95.execute("INSERT INTO t VALUES (1)", [])?;
    for a96 in 0..2 {
        let c96 = rusqlite::Connection::open(p)?;
        let t96 = c96.unchecked_transaction()?;
        t96.execute("INSERT INTO t VALUES (1)", [])?;
    for a97 in 0..2 {
        let c97 = rusqlite::Connection::open(p)?;
        let t97 = c97.unchecked_transaction()?;
        t97.execute("INSERT INTO t VALUES (1)", [])?;
    for a98 in 0..2 {
        let c98 = rusqlite::Connection::open(p)?;
        let t98 = c98.unchecked_transaction()?;
        t98.execute("INSERT INTO t VALUES (1)", [])?;
    for a99 in 0..2 {
        let c99 = rusqlite::Connection::open(p)?;
        let t99 = c99.unchecked_transaction()?;
        t99.execute("INSERT INTO t VALUES (1)", [])?;
    for a100 in 0..2 {
        let c100 = rusqlite::Connection::open(p)?;
        let t100 = c100.unchecked_transaction()?;
        t100.execute("INSERT INTO t VALUES (1)", [])?;
    for a101 in 0..2 {
        let c101 = rusqlite::Connection::open(p)?;
        let t101 = c101.unchecked_transaction()?;
        t101.execute("INSERT INTO t VALUES (1)", [])?;
    for a102 in 0..2 {
        let c102 = rusqlite::Connection::open(p)?;
        let t102 = c102.unchecked_transaction()?;
        t102.execute("INSERT INTO t VALUES (1)", [])?;
    for a103 in 0..2 {
        let c103 = rusqlite::Connection::open(p)?;
        let t103 = c103.unchecked_transaction()?;
        t103.execute("INSERT INTO t VALUES (1)", [])?;
    for a104 in 0..2 {
        let c104 = rusqlite::Connection::open(p)?;
        let t104 = c104.unchecked_transaction()?;
        t104.execute("INSERT INTO t VALUES (1)", [])?;
    for a105 in 0..2 {
        let c105 = rusqlite::Connection::open(p)?;
        let t105 = c105.unchecked_transaction()?;
        t105.execute("INSERT INTO t VALUES (1)", [])?;
    for a106 in 0..2 {
        let c106 = rusqlite::Connection::open(p)?;
        let t106 = c106.unchecked_transaction()?;
        t106.execute("INSERT INTO t VALUES (1)", [])?;
    for a107 in 0..2 {
        let c107 = rusqlite::Connection::open(p)?;
        let t107 = c107.unchecked_transaction()?;
        t107.execute("INSERT INTO t VALUES (1)", [])?;
    for a108 in 0..2 {
        let c108 = rusqlite::Connection::open(p)?;
        let t108 = c108.unchecked_transaction()?;
        t108.execute("INSERT INTO t VALUES (1)", [])?;
    for a109 in 0..2 {
        let c109 = rusqlite::Connection::open(p)?;
        let t109 = c109.unchecked_transaction()?;
        t109.execute("INSERT INTO t VALUES (1)", [])?;
    for a110 in 0..2 {
        let c110 = rusqlite::Connection::open(p)?;
        let t110 = c110.unchecked_transaction()?;
        t110.execute("INSERT INTO t VALUES (1)", [])?;
    for a111 in 0..2 {
        let c111 = rusqlite::Connection::open(p)?;
        let t111 = c111.unchecked_transaction()?;
        t111.execute("INSERT INTO t VALUES (1)", [])?;
    for a112 in 0..2 {
        let c112 = rusqlite::Connection::open(p)?;
        let t112 = c112.unchecked_transaction()?;
        t112.execute("INSERT INTO t VALUES (1)", [])?;
    for a113 in 0..2 {
        let c113 = rusqlite::Connection::open(p)?;
        let t113 = c113.unchecked_transaction()?;
        t113.execute("INSERT INTO t VALUES (1)", [])?;
    for a114 in 0..2 {
        let c114 = rusqlite::Connection::open(p)?;
        let t114 = c114.unchecked_transaction()?;
        t114.execute("INSERT INTO t VALUES (1)", [])?;
    for a115 in 0..2 {
        let c115 = rusqlite::Connection::open(p)?;
        let t115 = c115.unchecked_transaction()?;
        t115.execute("INSERT INTO t VALUES (1)", [])?;
    for a116 in 0..2 {
        let c116 = rusqlite::Connection::open(p)?;
        let t116 = c116.unchecked_transaction()?;
        t116.execute("INSERT INTO t VALUES (1)", [])?;
    for a117 in 0..2 {
        let c117 = rusqlite::Connection::open(p)?;
        let t117 = c117.unchecked_transaction()?;
        t117.execute("INSERT INTO t VALUES (1)", [])?;
    for a118 in 0..2 {
        let c118 = rusqlite::Connection::open(p)?;
        let t118 = c118.unchecked_transaction()?;
        t118.execute("INSERT INTO t VALUES (1)", [])?;
    for a119 in 0..2 {
        let c119 = rusqlite::Connection::open(p)?;
        let t119 = c119.unchecked_transaction()?;
        t119.execute("INSERT INTO t VALUES (1)", [])?;
    for a120 in 0..2 {
        let c120 = rusqlite::Connection::open(p)?;
        let t120 = c120.unchecked_transaction()?;
        t120.execute("INSERT INTO t VALUES (1)", [])?;
    for a121 in 0..2 {
        let c121 = rusqlite::Connection::open(p)?;
        let t121 = c121.unchecked_transaction()?;
        t121.execute("INSERT INTO t VALUES (1)", [])?;
    for a122 in 0..2 {
        let c122 = rusqlite::Connection::open(p)?;
        let t122 = c122.unchecked_transaction()?;
        t122.execute("INSERT INTO t VALUES (1)", [])?;
    for a123 in 0..2 {
        let c123 = rusqlite::Connection::open(p)?;
        let t123 = c123.unchecked_transaction()?;
        t123.execute("INSERT INTO t VALUES (1)", [])?;
    for a124 in 0..2 {
        let c124 = rusqlite::Connection::open(p)?;
        let t124 = c124.unchecked_transaction()?;
        t124.execute("INSERT INTO t VALUES (1)", [])?;
    for a125 in 0..2 {
        let c125 = rusqlite::Connection::open(p)?;
        let t125 = c125.unchecked_transaction()?;
        t125.execute("INSERT INTO t VALUES (1)", [])?;
    for a126 in 0..2 {
        let c126 = rusqlite::Connection::open(p)?;
        let t126 = c126.unchecked_transaction()?;
        t126.execute("INSERT INTO t VALUES (1)", [])?;
    for a127 in 0..2 {
        let c127 = rusqlite::Connection::open(p)?;
        let t127 = c127.unchecked_transaction()?;
        t127.execute("INSERT INTO t VALUES (1)", [])?;
    for a128 in 0..2 {
        let c128 = rusqlite::Connection::open(p)?;
        let t128 = c128.unchecked_transaction()?;
        t128.execute("INSERT INTO t VALUES (1)", [])?;
    for a129 in 0..2 {
        let c129 = rusqlite::Connection::open(p)?;
        let t129 = c129.unchecked_transaction()?;
        t129.execute("INSERT INTO t VALUES (1)", [])?;
    for a130 in 0..2 {
        let c130 = rusqlite::Connection::open(p)?;
        let t130 = c130.unchecked_transaction()?;
        t130.execute("INSERT INTO t VALUES (1)", [])?;
    for a131 in 0..2 {
        let c131 = rusqlite::Connection::open(p)?;
        let t131 = c131.unchecked_transaction()?;
        t131.execute("INSERT INTO t VALUES (1)", [])?;
    for a132 in 0..2 {
        let c132 = rusqlite::Connection::open(p)?;
        let t132 = c132.unchecked_transaction()?;
        t132.execute("INSERT INTO t VALUES (1)", [])?;
    for a133 in 0..2 {
        let c133 = rusqlite::Connection::open(p)?;
        let t133 = c133.unchecked_transaction()?;
        t133.execute("INSERT INTO t VALUES (1)", [])?;
    for a134 in 0..2 {
        let c134 = rusqlite::Connection::open(p)?;
        let t134 = c134.unchecked_transaction()?;
        t134.execute("INSERT INTO t VALUES (1)", [])?;
    for a135 in 0..2 {
        let c135 = rusqlite::Connection::open(p)?;
        let t135 = c135.unchecked_transaction()?;
        t135.execute("INSERT INTO t VALUES (1)", [])?;
    for a136 in 0..2 {
        let c136 = rusqlite::Connection::open(p)?;
        let t136 = c136.unchecked_transaction()?;
        t136.execute("INSERT INTO t VALUES (1)", [])?;
    for a137 in 0..2 {
        let c137 = rusqlite::Connection::open(p)?;
        let t137 = c137.unchecked_transaction()?;
        t137.execute("INSERT INTO t VALUES (1)", [])?;
    for a138 in 0..2 {
        let c138 = rusqlite::Connection::open(p)?;
        let t138 = c138.unchecked_transaction()?;
        t138.execute("INSERT INTO t VALUES (1)", [])?;
    for a139 in 0..2 {
        let c139 = rusqlite::Connection::open(p)?;
        let t139 = c139.unchecked_transaction()?;
        t139.execute("INSERT INTO t VALUES (1)", [])?;
    for a140 in 0..2 {
        let c140 = rusqlite::Connection::open(p)?;
        let t140 = c140.unchecked_transaction()?;
        t140.execute("INSERT INTO t VALUES (1)", [])?;
    for a141 in 0..2 {
        let c141 = rusqlite::Connection::open(p)?;
        let t141 = c141.unchecked_transaction()?;
        t141.execute("INSERT INTO t VALUES (1)", [])?;
    for a142 in 0..2 {
        let c142 = rusqlite::Connection::open(p)?;
        let t142 = c142.unchecked_transaction()?;
        t142.execute("INSERT INTO t VALUES (1)", [])?;
    for a143 in 0..2 {
        let c143 = rusqlite::Connection::open(p)?;
        let t143 = c143.unchecked_transaction()?;
        t143.execute("INSERT INTO t VALUES (1)", [])?;
    for a144 in 0..2 {
        let c144 = rusqlite::Connection::open(p)?;
        let t144 = c144.unchecked_transaction()?;
        t144.execute("INSERT INTO t VALUES (1)", [])?;
    for a145 in 0..2 {
        let c145 = rusqlite::Connection::open(p)?;
        let t145 = c145.unchecked_transaction()?;
        t145.execute("INSERT INTO t VALUES (1)", [])?;
    for a146 in 0..2 {
        let c146 = rusqlite::Connection::open(p)?;
        let t146 = c146.unchecked_transaction()?;
        t146.execute("INSERT INTO t VALUES (1)", [])?;
    for a147 in 0..2 {
        let c147 = rusqlite::Connection::open(p)?;
        let t147 = c147.unchecked_transaction()?;
        t147.execute("INSERT INTO t VALUES (1)", [])?;
    for a148 in 0..2 {
        let c148 = rusqlite::Connection::open(p)?;
        let t148 = c148.unchecked_transaction()?;
        t148.execute("INSERT INTO t VALUES (1)", [])?;
    for a149 in 0..2 {
        let c149 = rusqlite::Connection::open(p)?;
        let t149 = c149.unchecked_transaction()?;
        t149.execute("INSERT INTO t VALUES (1)", [])?;
    for a150 in 0..2 {
        let c150 = rusqlite::Connection::open(p)?;
        let t150 = c150.unchecked_transaction()?;
        t150.execute("INSERT INTO t VALUES (1)", [])?;
    for a151 in 0..2 {
        let c151 = rusqlite::Connection::open(p)?;
        let t151 = c151.unchecked_transaction()?;
        t151.execute("INSERT INTO t VALUES (1)", [])?;
    for a152 in 0..2 {
        let c152 = rusqlite::Connection::open(p)?;
        let t152 = c152.unchecked_transaction()?;
        t152.execute("INSERT INTO t VALUES (1)", [])?;
    for a153 in 0..2 {
        let c153 = rusqlite::Connection::open(p)?;
        let t153 = c153.unchecked_transaction()?;
        t153.execute("INSERT INTO t VALUES (1)", [])?;
    for a154 in 0..2 {
        let c154 = rusqlite::Connection::open(p)?;
        let t154 = c154.unchecked_transaction()?;
        t154.execute("INSERT INTO t VALUES (1)", [])?;
    for a155 in 0..2 {
        let c155 = rusqlite::Connection::open(p)?;
        let t155 = c155.unchecked_transaction()?;
        t155.execute("INSERT INTO t VALUES (1)", [])?;
    for a156 in 0..2 {
        let c156 = rusqlite::Connection::open(p)?;
        let t156 = c156.unchecked_transaction()?;
        t156.execute("INSERT INTO t VALUES (1)", [])?;
    for a157 in 0..2 {
        let c157 = rusqlite::Connection::open(p)?;
        let t157 = c157.unchecked_transaction()?;
        t157.execute("INSERT INTO t VALUES (1)", [])?;
    for a158 in 0..2 {
        let c158 = rusqlite::Connection::open(p)?;
        let t158 = c158.unchecked_transaction()?;
        t158.execute("INSERT INTO t VALUES (1)", [])?;
    for a159 in 0..2 {
        let c159 = rusqlite::Connection::open(p)?;
        let t159 = c159.unchecked_transaction()?;
        t159.execute("INSERT INTO t VALUES (1)", [])?;
    for a160 in 0..2 {
        let c160 = rusqlite::Connection::open(p)?;
        let t160 = c160.unchecked_transaction()?;
        t160.execute("INSERT INTO t VALUES (1)", [])?;
    for a161 in 0..2 {
        let c161 = rusqlite::Connection::open(p)?;
        let t161 = c161.unchecked_transaction()?;
        t161.execute("INSERT INTO t VALUES (1)", [])?;
    for a162 in 0..2 {
        let c162 = rusqlite::Connection::open(p)?;
        let t162 = c162.unchecked_transaction()?;
        t162.execute("INSERT INTO t VALUES (1)", [])?;
    for a163 in 0..2 {
        let c163 = rusqlite::Connection::open(p)?;
        let t163 = c163.unchecked_transaction()?;
        t163.execute("INSERT INTO t VALUES (1)", [])?;
    for a164 in 0..2 {
        let c164 = rusqlite::Connection::open(p)?;
        let t164 = c164.unchecked_transaction()?;
        t164.execute("INSERT INTO t VALUES (1)", [])?;
    for a165 in 0..2 {
        let c165 = rusqlite::Connection::open(p)?;
        let t165 = c165.unchecked_transaction()?;
        t165.execute("INSERT INTO t VALUES (1)", [])?;
    for a166 in 0..2 {
        let c166 = rusqlite::Connection::open(p)?;
        let t166 = c166.unchecked_transaction()?;
        t166.execute("INSERT INTO t VALUES (1)", [])?;
    for a167 in 0..2 {
        let c167 = rusqlite::Connection::open(p)?;
        let t167 = c167.unchecked_transaction()?;
        t167.execute("INSERT INTO t VALUES (1)", [])?;
    for a168 in 0..2 {
        let c168 = rusqlite::Connection::open(p)?;
        let t168 = c168.unchecked_transaction()?;
        t168.execute("INSERT INTO t VALUES (1)", [])?;
    for a169 in 0..2 {
        let c169 = rusqlite::Connection::open(p)?;
        let t169 = c169.unchecked_transaction()?;
        t169.execute("INSERT INTO t VALUES (1)", [])?;
    for a170 in 0..2 {
        let c170 = rusqlite::Connection::open(p)?;
        let t170 = c170.unchecked_transaction()?;
        t170.execute("INSERT INTO t VALUES (1)", [])?;
    for a171 in 0..2 {
        let c171 = rusqlite::Connection::open(p)?;
        let t171 = c171.unchecked_transaction()?;
        t171.execute("INSERT INTO t VALUES (1)", [])?;
    for a172 in 0..2 {
        let c172 = rusqlite::Connection::open(p)?;
        let t172 = c172.unchecked_transaction()?;
        t172.execute("INSERT INTO t VALUES (1)", [])?;
    for a173 in 0..2 {
        let c173 = rusqlite::Connection::open(p)?;
        let t173 = c173.unchecked_transaction()?;
        t173.execute("INSERT INTO t VALUES (1)", [])?;
    for a174 in 0..2 {
        let c174 = rusqlite::Connection::open(p)?;
        let t174 = c174.unchecked_transaction()?;
        t174.execute("INSERT INTO t VALUES (1)", [])?;
    for a175 in 0..2 {
        let c175 = rusqlite::Connection::open(p)?;
        let t175 = c175.unchecked_transaction()?;
        t175.execute("INSERT INTO t VALUES (1)", [])?;
    for a176 in 0..2 {
        let c176 = rusqlite::Connection::open(p)?;
        let t176 = c176.unchecked_transaction()?;
        t176.execute("INSERT INTO t VALUES (1)", [])?;
    for a177 in 0..2 {
        let c177 = rusqlite::Connection::open(p)?;
        let t177 = c177.unchecked_transaction()?;
        t177.execute("INSERT INTO t VALUES (1)", [])?;
    for a178 in 0..2 {
        let c178 = rusqlite::Connection::open(p)?;
        let t178 = c178.unchecked_transaction()?;
        t178.execute("INSERT INTO t VALUES (1)", [])?;
    for a179 in 0..2 {
        let c179 = rusqlite::Connection::open(p)?;
        let t179 = c179.unchecked_transaction()?;
        t179.execute("INSERT INTO t VALUES (1)", [])?;
    for a180 in 0..2 {
        let c180 = rusqlite::Connection::open(p)?;
        let t180 = c180.unchecked_transaction()?;
        t180.execute("INSERT INTO t VALUES (1)", [])?;
    for a181 in 0..2 {
        let c181 = rusqlite::Connection::open(p)?;
        let t181 = c181.unchecked_transaction()?;
        t181.execute("INSERT INTO t VALUES (1)", [])?;
    for a182 in 0..2 {
        let c182 = rusqlite::Connection::open(p)?;
        let t182 = c182.unchecked_transaction()?;
        t182.execute("INSERT INTO t VALUES (1)", [])?;
    for a183 in 0..2 {
        let c183 = rusqlite::Connection::open(p)?;
        let t183 = c183.unchecked_transaction()?;
        t183.execute("INSERT INTO t VALUES (1)", [])?;
    for a184 in 0..2 {
        let c184 = rusqlite::Connection::open(p)?;
        let t184 = c184.unchecked_transaction()?;
        t184.execute("INSERT INTO t VALUES (1)", [])?;
    for a185 in 0..2 {
        let c185 = rusqlite::Connection::open(p)?;
        let t185 = c185.unchecked_transaction()?;
        t185.execute("INSERT INTO t VALUES (1)", [])?;
    for a186 in 0..2 {
        let c186 = rusqlite::Connection::open(p)?;
        let t186 = c186.unchecked_transaction()?;
        t186.execute("INSERT INTO t VALUES (1)", [])?;
    for a187 in 0..2 {
        let c187 = rusqlite::Connection::open(p)?;
        let t187 = c187.unchecked_transaction()?;
        t187.execute("INSERT INTO t VALUES (1)", [])?;
    for a188 in 0..2 {
        let c188 = rusqlite::Connection::open(p)?;
        let t188 = c188.unchecked_transaction()?;
        t188.execute("INSERT INTO t VALUES (1)", [])?;
    for a189 in 0..2 {
        let c189 = rusqlite::Connection::open(p)?;
        let t189 = c189.unchecked_transaction()?;
        t189.execute("INSERT INTO t VALUES (1)", [])?;
    for a190 in 0..2 {
        let c190 = rusqlite::Connection::open(p)?;
        let t190 = c190.unchecked_transaction()?;
        t190.execute("INSERT INTO t VALUES (1)", [])?;
    for a191 in 0..2 {
        let c191 = rusqlite::Connection::open(p)?;
        let t191 = c191.unchecked_transaction()?;
        t191.execute("INSERT INTO t VALUES (1)", [])?;
    for a192 in 0..2 {
        let c192 = rusqlite::Connection::open(p)?;
        let t192 = c192.unchecked_transaction()?;
        t192.execute("INSERT INTO t VALUES (1)", [])?;
    for a193 in 0..2 {
        let c193 = rusqlite::Connection::open(p)?;
        let t193 = c193.unchecked_transaction()?;
        t193.execute("INSERT INTO t VALUES (1)", [])?;
    for a194 in 0..2 {
        let c194 = rusqlite::Connection::open(p)?;
        let t194 = c194.unchecked_transaction()?;
        t194.execute("INSERT INTO t VALUES (1)", [])?;
    for a195 in 0..2 {
        let c195 = rusqlite::Connection::open(p)?;
        let t195 = c195.unchecked_transaction()?;
        t195.execute("INSERT INTO t VALUES (1)", [])?;
    for a196 in 0..2 {
        let c196 = rusqlite::Connection::open(p)?;
        let t196 = c196.unchecked_transaction()?;
        t196.execute("INSERT INTO t VALUES (1)", [])?;
    for a197 in 0..2 {
        let c197 = rusqlite::Connection::open(p)?;
        let t197 = c197.unchecked_transaction()?;
        t197.execute("INSERT INTO t VALUES (1)", [])?;
    for a198 in 0..2 {
        let c198 = rusqlite::Connection::open(p)?;
        let t198 = c198.unchecked_transaction()?;
        t198.execute("INSERT INTO t VALUES (1)", [])?;
    for a199 in 0..2 {
        let c199 = rusqlite::Connection::open(p)?;
        let t199 = c199.unchecked_transaction()?;
        t199.execute("INSERT INTO t VALUES (1)", [])?;
    for a200 in 0..2 {
        let c200 = rusqlite::Connection::open(p)?;
        let t200 = c200.unchecked_transaction()?;
        t200.execute("INSERT INTO t VALUES (1)", [])?;
    for a201 in 0..2 {
        let c201 = rusqlite::Connection::open(p)?;
        let t201 = c201.unchecked_transaction()?;
        t201.execute("INSERT INTO t VALUES (1)", [])?;
    for a202 in 0..2 {
        let c202 = rusqlite::Connection::open(p)?;
        let t202 = c202.unchecked_transaction()?;
        t202.execute("INSERT INTO t VALUES (1)", [])?;
    for a203 in 0..2 {
        let c203 = rusqlite::Connection::open(p)?;
        let t203 = c203.unchecked_transaction()?;
        t203.execute("INSERT INTO t VALUES (1)", [])?;
    for a204 in 0..2 {
        let c204 = rusqlite::Connection::open(p)?;
        let t204 = c204.unchecked_transaction()?;
        t204.execute("INSERT INTO t VALUES (1)", [])?;
    for a205 in 0..2 {
        let c205 = rusqlite::Connection::open(p)?;
        let t205 = c205.unchecked_transaction()?;
        t205.execute("INSERT INTO t VALUES (1)", [])?;
    for a206 in 0..2 {
        let c206 = rusqlite::Connection::open(p)?;
        let t206 = c206.unchecked_transaction()?;
        t206.execute("INSERT INTO t VALUES (1)", [])?;
    for a207 in 0..2 {
        let c207 = rusqlite::Connection::open(p)?;
        let t207 = c207.unchecked_transaction()?;
        t207.execute("INSERT INTO t VALUES (1)", [])?;
    for a208 in 0..2 {
        let c208 = rusqlite::Connection::open(p)?;
        let t208 = c208.unchecked_transaction()?;
        t208.execute("INSERT INTO t VALUES (1)", [])?;
    for a209 in 0..2 {
        let c209 = rusqlite::Connection::open(p)?;
        let t209 = c209.unchecked_transaction()?;
        t209.execute("INSERT INTO t VALUES (1)", [])?;
    for a210 in 0..2 {
        let c210 = rusqlite::Connection::open(p)?;
        let t210 = c210.unchecked_transaction()?;
        t210.execute("INSERT INTO t VALUES (1)", [])?;
    for a211 in 0..2 {
        let c211 = rusqlite::Connection::open(p)?;
        let t211 = c211.unchecked_transaction()?;
        t211.execute("INSERT INTO t VALUES (1)", [])?;
    for a212 in 0..2 {
        let c212 = rusqlite::Connection::open(p)?;
        let t212 = c212.unchecked_transaction()?;
        t212.execute("INSERT INTO t VALUES (1)", [])?;
    for a213 in 0..2 {
        let c213 = rusqlite::Connection::open(p)?;
        let t213 = c213.unchecked_transaction()?;
        t213.execute("INSERT INTO t VALUES (1)", [])?;
    for a214 in 0..2 {
        let c214 = rusqlite::Connection::open(p)?;
        let t214 = c214.unchecked_transaction()?;
        t214.execute("INSERT INTO t VALUES (1)", [])?;
    for a215 in 0..2 {
        let c215 = rusqlite::Connection::open(p)?;
        let t215 = c215.unchecked_transaction()?;
        t215.execute("INSERT INTO t VALUES (1)", [])?;
    for a216 in 0..2 {
        let c216 = rusqlite::Connection::open(p)?;
        let t216 = c216.unchecked_transaction()?;
        t216.execute("INSERT INTO t VALUES (1)", [])?;
    for a217 in 0..2 {
        let c217 = rusqlite::Connection::open(p)?;
        let t217 = c217.unchecked_transaction()?;
        t217.execute("INSERT INTO t VALUES (1)", [])?;
    for a218 in 0..2 {
        let c218 = rusqlite::Connection::open(p)?;
        let t218 = c218.unchecked_transaction()?;
        t218.execute("INSERT INTO t VALUES (1)", [])?;
    for a219 in 0..2 {
        let c219 = rusqlite::Connection::open(p)?;
        let t219 = c219.unchecked_transaction()?;
        t219.execute("INSERT INTO t VALUES (1)", [])?;
    for a220 in 0..2 {
        let c220 = rusqlite::Connection::open(p)?;
        let t220 = c220.unchecked_transaction()?;
        t220.execute("INSERT INTO t VALUES (1)", [])?;
    for a221 in 0..2 {
        let c221 = rusqlite::Connection::open(p)?;
        let t221 = c221.unchecked_transaction()?;
        t221.execute("INSERT INTO t VALUES (1)", [])?;
    for a222 in 0..2 {
        let c222 = rusqlite::Connection::open(p)?;
        let t222 = c222.unchecked_transaction()?;
        t222.execute("INSERT INTO t VALUES (1)", [])?;
    for a223 in 0..2 {
        let c223 = rusqlite::Connection::open(p)?;
        let t223 = c223.unchecked_transaction()?;
        t223.execute("INSERT INTO t VALUES (1)", [])?;
    for a224 in 0..2 {
        let c224 = rusqlite::Connection::open(p)?;
        let t224 = c224.unchecked_transaction()?;
        t224.execute("INSERT INTO t VALUES (1)", [])?;
    for a225 in 0..2 {
        let c225 = rusqlite::Connection::open(p)?;
        let t225 = c225.unchecked_transaction()?;
        t225.execute("INSERT INTO t VALUES (1)", [])?;
    for a226 in 0..2 {
        let c226 = rusqlite::Connection::open(p)?;
        let t226 = c226.unchecked_transaction()?;
        t226.execute("INSERT INTO t VALUES (1)", [])?;
    for a227 in 0..2 {
        let c227 = rusqlite::Connection::open(p)?;
        let t227 = c227.unchecked_transaction()?;
        t227.execute("INSERT INTO t VALUES (1)", [])?;
    for a228 in 0..2 {
        let c228 = rusqlite::Connection::open(p)?;
        let t228 = c228.unchecked_transaction()?;
        t228.execute("INSERT INTO t VALUES (1)", [])?;
    for a229 in 0..2 {
        let c229 = rusqlite::Connection::open(p)?;
        let t229 = c229.unchecked_transaction()?;
        t229.execute("INSERT INTO t VALUES (1)", [])?;
    for a230 in 0..2 {
        let c230 = rusqlite::Connection::open(p)?;
        let t230 = c230.unchecked_transaction()?;
        t230.execute("INSERT INTO t VALUES (1)", [])?;
    for a231 in 0..2 {
        let c231 = rusqlite::Connection::open(p)?;
        let t231 = c231.unchecked_transaction()?;
        t231.execute("INSERT INTO t VALUES (1)", [])?;
    for a232 in 0..2 {
        let c232 = rusqlite::Connection::open(p)?;
        let t232 = c232.unchecked_transaction()?;
        t232.execute("INSERT INTO t VALUES (1)", [])?;
    for a233 in 0..2 {
        let c233 = rusqlite::Connection::open(p)?;
        let t233 = c233.unchecked_transaction()?;
        t233.execute("INSERT INTO t VALUES (1)", [])?;
    for a234 in 0..2 {
        let c234 = rusqlite::Connection::open(p)?;
        let t234 = c234.unchecked_transaction()?;
        t234.execute("INSERT INTO t VALUES (1)", [])?;
    for a235 in 0..2 {
        let c235 = rusqlite::Connection::open(p)?;
        let t235 = c235.unchecked_transaction()?;
        t235.execute("INSERT INTO t VALUES (1)", [])?;
    for a236 in 0..2 {
        let c236 = rusqlite::Connection::open(p)?;
        let t236 = c236.unchecked_transaction()?;
        t236.execute("INSERT INTO t VALUES (1)", [])?;
    for a237 in 0..2 {
        let c237 = rusqlite::Connection::open(p)?;
        let t237 = c237.unchecked_transaction()?;
        t237.execute("INSERT INTO t VALUES (1)", [])?;
    for a238 in 0..2 {
        let c238 = rusqlite::Connection::open(p)?;
        let t238 = c238.unchecked_transaction()?;
        t238.execute("INSERT INTO t VALUES (1)", [])?;
    for a239 in 0..2 {
        let c239 = rusqlite::Connection::open(p)?;
        let t239 = c239.unchecked_transaction()?;
        t239.execute("INSERT INTO t VALUES (1)", [])?;
    for a240 in 0..2 {
        let c240 = rusqlite::Connection::open(p)?;
        let t240 = c240.unchecked_transaction()?;
        t240.execute("INSERT INTO t VALUES (1)", [])?;
    for a241 in 0..2 {
        let c241 = rusqlite::Connection::open(p)?;
        let t241 = c241.unchecked_transaction()?;
        t241.execute("INSERT INTO t VALUES (1)", [])?;
    for a242 in 0..2 {
        let c242 = rusqlite::Connection::open(p)?;
        let t242 = c242.unchecked_transaction()?;
        t242.execute("INSERT INTO t VALUES (1)", [])?;
    for a243 in 0..2 {
        let c243 = rusqlite::Connection::open(p)?;
        let t243 = c243.unchecked_transaction()?;
        t243.execute("INSERT INTO t VALUES (1)", [])?;
    for a244 in 0..2 {
        let c244 = rusqlite::Connection::open(p)?;
        let t244 = c244.unchecked_transaction()?;
        t244.execute("INSERT INTO t VALUES (1)", [])?;
    for a245 in 0..2 {
        let c245 = rusqlite::Connection::open(p)?;
        let t245 = c245.unchecked_transaction()?;
        t245.execute("INSERT INTO t VALUES (1)", [])?;
    for a246 in 0..2 {
        let c246 = rusqlite::Connection::open(p)?;
        let t246 = c246.unchecked_transaction()?;
        t246.execute("INSERT INTO t VALUES (1)", [])?;
    for a247 in 0..2 {
        let c247 = rusqlite::Connection::open(p)?;
        let t247 = c247.unchecked_transaction()?;
        t247.execute("INSERT INTO t VALUES (1)", [])?;
    for a248 in 0..2 {
        let c248 = rusqlite::Connection::open(p)?;
        let t248 = c248.unchecked_transaction()?;
        t248.execute("INSERT INTO t VALUES (1)", [])?;
    for a249 in 0..2 {
        let c249 = rusqlite::Connection::open(p)?;
        let t249 = c249.unchecked_transaction()?;
        t249.execute("INSERT INTO t VALUES (1)", [])?;
    for a250 in 0..2 {
        let c250 = rusqlite::Connection::open(p)?;
        let t250 = c250.unchecked_transaction()?;
        t250.execute("INSERT INTO t VALUES (1)", [])?;
    for a251 in 0..2 {
        let c251 = rusqlite::Connection::open(p)?;
        let t251 = c251.unchecked_transaction()?;
        t251.execute("INSERT INTO t VALUES (1)", [])?;
    for a252 in 0..2 {
        let c252 = rusqlite::Connection::open(p)?;
        let t252 = c252.unchecked_transaction()?;
        t252.execute("INSERT INTO t VALUES (1)", [])?;
    for a253 in 0..2 {
        let c253 = rusqlite::Connection::open(p)?;
        let t253 = c253.unchecked_transaction()?;
        t253.execute("INSERT INTO t VALUES (1)", [])?;
    for a254 in 0..2 {
        let c254 = rusqlite::Connection::open(p)?;
        let t254 = c254.unchecked_transaction()?;
        t254.execute("INSERT INTO t VALUES (1)", [])?;
    for a255 in 0..2 {
        let c255 = rusqlite::Connection::open(p)?;
        let t255 = c255.unchecked_transaction()?;
        t255.execute("INSERT INTO t VALUES (1)", [])?;
    for a256 in 0..2 {
        let c256 = rusqlite::Connection::open(p)?;
        let t256 = c256.unchecked_transaction()?;
        t256.execute("INSERT INTO t VALUES (1)", [])?;
    for a257 in 0..2 {
        let c257 = rusqlite::Connection::open(p)?;
        let t257 = c257.unchecked_transaction()?;
        t257.execute("INSERT INTO t VALUES (1)", [])?;
    for a258 in 0..2 {
        let c258 = rusqlite::Connection::open(p)?;
        let t258 = c258.unchecked_transaction()?;
        t258.execute("INSERT INTO t VALUES (1)", [])?;
    for a259 in 0..2 {
        let c259 = rusqlite::Connection::open(p)?;
        let t259 = c259.unchecked_transaction()?;
        t259.execute("INSERT INTO t VALUES (1)", [])?;
    for a260 in 0..2 {
        let c260 = rusqlite::Connection::open(p)?;
        let t260 = c260.unchecked_transaction()?;
        t260.execute("INSERT INTO t VALUES (1)", [])?;
    for a261 in 0..2 {
        let c261 = rusqlite::Connection::open(p)?;
        let t261 = c261.unchecked_transaction()?;
        t261.execute("INSERT INTO t VALUES (1)", [])?;
    for a262 in 0..2 {
        let c262 = rusqlite::Connection::open(p)?;
        let t262 = c262.unchecked_transaction()?;
        t262.execute("INSERT INTO t VALUES (1)", [])?;
    for a263 in 0..2 {
        let c263 = rusqlite::Connection::open(p)?;
        let t263 = c263.unchecked_transaction()?;
        t263.execute("INSERT INTO t VALUES (1)", [])?;
    for a264 in 0..2 {
        let c264 = rusqlite::Connection::open(p)?;
        let t264 = c264.unchecked_transaction()?;
        t264.execute("INSERT INTO t VALUES (1)", [])?;
    for a265 in 0..2 {
        let c265 = rusqlite::Connection::open(p)?;
        let t265 = c265.unchecked_transaction()?;
        t265.execute("INSERT INTO t VALUES (1)", [])?;
    for a266 in 0..2 {
        let c266 = rusqlite::Connection::open(p)?;
        let t266 = c266.unchecked_transaction()?;
        t266.execute("INSERT INTO t VALUES (1)", [])?;
    for a267 in 0..2 {
        let c267 = rusqlite::Connection::open(p)?;
        let t267 = c267.unchecked_transaction()?;
        t267.execute("INSERT INTO t VALUES (1)", [])?;
    for a268 in 0..2 {
        let c268 = rusqlite::Connection::open(p)?;
        let t268 = c268.unchecked_transaction()?;
        t268.execute("INSERT INTO t VALUES (1)", [])?;
    for a269 in 0..2 {
        let c269 = rusqlite::Connection::open(p)?;
        let t269 = c269.unchecked_transaction()?;
        t269.execute("INSERT INTO t VALUES (1)", [])?;
    for a270 in 0..2 {
        let c270 = rusqlite::Connection::open(p)?;
        let t270 = c270.unchecked_transaction()?;
        t270.execute("INSERT INTO t VALUES (1)", [])?;
    for a271 in 0..2 {
        let c271 = rusqlite::Connection::open(p)?;
        let t271 = c271.unchecked_transaction()?;
        t271.execute("INSERT INTO t VALUES (1)", [])?;
    for a272 in 0..2 {
        let c272 = rusqlite::Connection::open(p)?;
        let t272 = c272.unchecked_transaction()?;
        t272.execute("INSERT INTO t VALUES (1)", [])?;
    for a273 in 0..2 {
        let c273 = rusqlite::Connection::open(p)?;
        let t273 = c273.unchecked_transaction()?;
        t273.execute("INSERT INTO t VALUES (1)", [])?;
    for a274 in 0..2 {
        let c274 = rusqlite::Connection::open(p)?;
        let t274 = c274.unchecked_transaction()?;
        t274.execute("INSERT INTO t VALUES (1)", [])?;
    for a275 in 0..2 {
        let c275 = rusqlite::Connection::open(p)?;
        let t275 = c275.unchecked_transaction()?;
        t275.execute("INSERT INTO t VALUES (1)", [])?;
    for a276 in 0..2 {
        let c276 = rusqlite::Connection::open(p)?;
        let t276 = c276.unchecked_transaction()?;
        t276.execute("INSERT INTO t VALUES (1)", [])?;
    for a277 in 0..2 {
        let c277 = rusqlite::Connection::open(p)?;
        let t277 = c277.unchecked_transaction()?;
        t277.execute("INSERT INTO t VALUES (1)", [])?;
    for a278 in 0..2 {
        let c278 = rusqlite::Connection::open(p)?;
        let t278 = c278.unchecked_transaction()?;
        t278.execute("INSERT INTO t VALUES (1)", [])?;
    for a279 in 0..2 {
        let c279 = rusqlite::Connection::open(p)?;
        let t279 = c279.unchecked_transaction()?;
        t279.execute("INSERT INTO t VALUES (1)", [])?;
    for a280 in 0..2 {
        let c280 = rusqlite::Connection::open(p)?;
        let t280 = c280.unchecked_transaction()?;
        t280.execute("INSERT INTO t VALUES (1)", [])?;
    for a281 in 0..2 {
        let c281 = rusqlite::Connection::open(p)?;
        let t281 = c281.unchecked_transaction()?;
        t281.execute("INSERT INTO t VALUES (1)", [])?;
    for a282 in 0..2 {
        let c282 = rusqlite::Connection::open(p)?;
        let t282 = c282.unchecked_transaction()?;
        t282.execute("INSERT INTO t VALUES (1)", [])?;
    for a283 in 0..2 {
        let c283 = rusqlite::Connection::open(p)?;
        let t283 = c283.unchecked_transaction()?;
        t283.execute("INSERT INTO t VALUES (1)", [])?;
    for a284 in 0..2 {
        let c284 = rusqlite::Connection::open(p)?;
        let t284 = c284.unchecked_transaction()?;
        t284.execute("INSERT INTO t VALUES (1)", [])?;
    for a285 in 0..2 {
        let c285 = rusqlite::Connection::open(p)?;
        let t285 = c285.unchecked_transaction()?;
        t285.execute("INSERT INTO t VALUES (1)", [])?;
    for a286 in 0..2 {
        let c286 = rusqlite::Connection::open(p)?;
        let t286 = c286.unchecked_transaction()?;
        t286.execute("INSERT INTO t VALUES (1)", [])?;
    for a287 in 0..2 {
        let c287 = rusqlite::Connection::open(p)?;
        let t287 = c287.unchecked_transaction()?;
        t287.execute("INSERT INTO t VALUES (1)", [])?;
    for a288 in 0..2 {
        let c288 = rusqlite::Connection::open(p)?;
        let t288 = c288.unchecked_transaction()?;
        t288.execute("INSERT INTO t VALUES (1)", [])?;
    for a289 in 0..2 {
        let c289 = rusqlite::Connection::open(p)?;
        let t289 = c289.unchecked_transaction()?;
        t289.execute("INSERT INTO t VALUES (1)", [])?;
    for a290 in 0..2 {
        let c290 = rusqlite::Connection::open(p)?;
        let t290 = c290.unchecked_transaction()?;
        t290.execute("INSERT INTO t VALUES (1)", [])?;
    for a291 in 0..2 {
        let c291 = rusqlite::Connection::open(p)?;
        let t291 = c291.unchecked_transaction()?;
        t291.execute("INSERT INTO t VALUES (1)", [])?;
    for a292 in 0..2 {
        let c292 = rusqlite::Connection::open(p)?;
        let t292 = c292.unchecked_transaction()?;
        t292.execute("INSERT INTO t VALUES (1)", [])?;
    for a293 in 0..2 {
        let c293 = rusqlite::Connection::open(p)?;
        let t293 = c293.unchecked_transaction()?;
        t293.execute("INSERT INTO t VALUES (1)", [])?;
    for a294 in 0..2 {
        let c294 = rusqlite::Connection::open(p)?;
        let t294 = c294.unchecked_transaction()?;
        t294.execute("INSERT INTO t VALUES (1)", [])?;
    for a295 in 0..2 {
        let c295 = rusqlite::Connection::open(p)?;
        let t295 = c295.unchecked_transaction()?;
        t295.execute("INSERT INTO t VALUES (1)", [])?;
    for a296 in 0..2 {
        let c296 = rusqlite::Connection::open(p)?;
        let t296 = c296.unchecked_transaction()?;
        t296.execute("INSERT INTO t VALUES (1)", [])?;
    for a297 in 0..2 {
        let c297 = rusqlite::Connection::open(p)?;
        let t297 = c297.unchecked_transaction()?;
        t297.execute("INSERT INTO t VALUES (1)", [])?;
    for a298 in 0..2 {
        let c298 = rusqlite::Connection::open(p)?;
        let t298 = c298.unchecked_transaction()?;
        t298.execute("INSERT INTO t VALUES (1)", [])?;
    for a299 in 0..2 {
        let c299 = rusqlite::Connection::open(p)?;
        let t299 = c299.unchecked_transaction()?;
        t299.execute("INSERT INTO t VALUES (1)", [])?;
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    }
    Ok(())
}
