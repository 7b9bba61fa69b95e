/*
 * Debug rule left behind after the 2019 tenant migration.
 * Someone wanted to know how the sandbox invoked rules, so it pokes at
 * `arguments` and `this` before doing its actual job (the tier claim).
 */
function (user, context, callback) {
    console.log('rule called with', arguments.length, 'args');
    console.log('rule this is', typeof this, this === undefined ? '(strict)' : '(sloppy)');

    var meta = user.app_metadata || {};
    var tier = meta.tier || 'free';

    context.idToken['https://debug.example.org/tier'] = tier;

    callback(null, user, context);
}
