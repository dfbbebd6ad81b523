/*
// Code generated inside a block comment. DO NOT EDIT.
*/
package generatedblock
